import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { AuthModule } from '../auth/auth.module';
import { Environment } from '../config/environment';
import { SettingsModule } from '../settings/settings.module';
import { MailDelivery } from './mail-delivery.service';
import { MailInboxController } from './mail-inbox.controller';
import { MailInbox } from './mail-inbox.service';
import { MailController } from './mail.controller';
import { MailMessagesService } from './mail-messages.service';
import { NotificationPreferencesController } from './notification-preferences.controller';
import { MailAttachment, MailMessage } from './mail-message.entity';
import { MailOutbox } from './mail-outbox.service';
import { MailPersonalData } from './mail-personal-data';
import { MailTransport } from './mail-transport';
import { StaffNotificationKinds } from './staff-notification-kinds';
import { StaffNotifications } from './staff-notifications.service';
import { MAIL_TEMPLATE_NAMES } from './templates/mail-template-data';
import { MailTemplates } from './templates/mail-templates';

/**
 * Mail for every module: templates, the transactional outbox (`MailOutbox.enqueue`), its
 * delivery by the workers, and staff notifications (`StaffNotifications.notify`). Finds the
 * staff to tell through auth's `UsersService`; AuthModule imports nothing of mail's, so this
 * import makes no cycle.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MailMessage, MailAttachment]), SettingsModule, AuthModule],
  controllers: [MailController, MailInboxController, NotificationPreferencesController],
  providers: [
    {
      provide: MailTemplates,
      inject: [Environment],
      useFactory: async (env: Environment) =>
        (await MailTemplates.load(undefined, { cacheDirectory: join(env.DATA_DIR, 'cache') })).expectExactly(MAIL_TEMPLATE_NAMES),
    },
    MailOutbox,
    MailTransport,
    MailDelivery,
    StaffNotifications,
    StaffNotificationKinds,
    MailMessagesService,
    MailInbox,
    MailPersonalData,
  ],
  exports: [MailOutbox, StaffNotifications, StaffNotificationKinds, MailTemplates, MailMessagesService],
})
export class MailModule {}
