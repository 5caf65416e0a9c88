import { IsIn } from 'class-validator';
import { NOTIFICATION_DELIVERIES, type NotificationDelivery, type StaffNotificationKind } from '../staff-notification-kinds';

export class NotificationPreferenceDto {
  kind: StaffNotificationKind;
  /** The kind in the user's language. */
  label: string;
  /** `immediate`: a mail per event; `digest`: one mail at 17:00 on working days. */
  delivery: NotificationDelivery;
}

export class SetNotificationPreferenceDto {
  @IsIn(NOTIFICATION_DELIVERIES)
  delivery: NotificationDelivery;
}
