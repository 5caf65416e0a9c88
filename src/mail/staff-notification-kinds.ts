import { Injectable } from '@nestjs/common';
import type { Locale } from '../kernel/locale';
import { STAFF, type Role } from '../kernel/role';

export const NOTIFICATION_DELIVERIES = ['immediate', 'digest'] as const;
/** At once, one mail per event; or bundled into the digest at the end of the working day. */
export type NotificationDelivery = (typeof NOTIFICATION_DELIVERIES)[number];

/**
 * Every kind of staff notification, by name. The module that produces a kind declares it where
 * it registers it, by declaration merging:
 *
 *     declare module '../mail/staff-notification-kinds' {
 *       interface StaffNotificationKindMap { enrolment_received: true }
 *     }
 *
 * so `StaffNotifications.notify` accepts only kinds some module declared.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface StaffNotificationKindMap {}

export type StaffNotificationKind = keyof StaffNotificationKindMap & string;

export interface StaffNotificationKindInfo {
  /** Per locale: one event (the subject of a notification), several (a heading in the digest). */
  labels: Record<Locale, { one: string; many: string }>;
  /** The staff roles told of it; only they are offered a choice of delivery for it. */
  audience: Role[];
  /**
   * How the kind is delivered until a staff member chooses otherwise. Frequent kinds go to the
   * digest, so that a busy day is one mail, not one per event; rare ones that need someone soon
   * come at once.
   */
  defaultDelivery: NotificationDelivery;
}

/**
 * What staff can be told about. Each module registers the kinds it produces, with their labels
 * and default delivery, when its provider is made (its constructor: before any `onModuleInit`,
 * such as the demo seeder's, can ask for them); staff choose a delivery per registered kind, and
 * the digest groups events by kind in the order they were registered.
 */
@Injectable()
export class StaffNotificationKinds {
  private readonly kinds = new Map<StaffNotificationKind, StaffNotificationKindInfo>();

  register(kind: StaffNotificationKind, info: StaffNotificationKindInfo): void {
    if (this.kinds.has(kind)) throw new Error(`Staff notification kind ${kind} is registered twice`);
    // Teachers and students are told through their own mails, never by staff notices.
    const outside = info.audience.filter((role) => !STAFF.includes(role));
    if (info.audience.length === 0 || outside.length > 0) throw new Error(`Staff notification kind ${kind} must be for staff roles, not [${outside.join(', ')}]`);
    this.kinds.set(kind, info);
  }

  all(): StaffNotificationKind[] {
    return [...this.kinds.keys()];
  }

  /** The kinds someone with these roles is told of. */
  for(roles: readonly Role[]): StaffNotificationKind[] {
    return this.all().filter((kind) => this.get(kind).audience.some((role) => roles.includes(role)));
  }

  has(kind: string): kind is StaffNotificationKind {
    return this.kinds.has(kind as StaffNotificationKind);
  }

  get(kind: StaffNotificationKind): StaffNotificationKindInfo {
    const info = this.kinds.get(kind);
    if (!info) throw new Error(`Staff notification kind ${kind} is not registered`);
    return info;
  }
}
