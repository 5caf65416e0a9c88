import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import type { Actor } from '../kernel/request-context';
import { NotificationPreferenceDto, SetNotificationPreferenceDto } from './dto/notification-preference.dto';
import { StaffNotifications } from './staff-notifications.service';

@ApiTags('mail')
@Roles(...STAFF)
@Controller('mail/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly notifications: StaffNotifications) {}

  /** The signed-in staff member's choice per kind of notification (at once unless chosen otherwise). */
  @Get()
  list(@CurrentActor() actor: Actor): Promise<NotificationPreferenceDto[]> {
    return this.notifications.preferences(actor);
  }

  /** Chooses, for one kind, a mail at once or the digest at the end of the working day. */
  @Put(':kind')
  set(@Param('kind') kind: string, @Body() body: SetNotificationPreferenceDto, @CurrentActor() actor: Actor): Promise<NotificationPreferenceDto[]> {
    return this.notifications.setPreference(actor, kind, body.delivery);
  }
}
