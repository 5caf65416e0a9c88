import { IsIn } from 'class-validator';
import { NOTIFICATION_DELIVERIES, type NotificationDelivery } from '../staff-notification-kinds';

export class NotificationPreferenceDto {
  /** A kind some module registered, e.g. `enrolment_received`. */
  kind: string;
  /** The kind in the user's language. */
  label: string;
  /** `immediate`: a mail per event; `digest`: one mail at 17:00 on working days. */
  delivery: NotificationDelivery;
}

export class SetNotificationPreferenceDto {
  @IsIn(NOTIFICATION_DELIVERIES)
  delivery: NotificationDelivery;
}
