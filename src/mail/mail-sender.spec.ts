import type { EntityManager } from 'typeorm';
import type { Environment } from '../config/environment';
import type { InstituteSettings } from '../settings/institute-settings.entity';
import { MailOutbox } from './mail-outbox.service';
import type { MailTemplates } from './templates/mail-templates';
import type { SettingsService } from '../settings/settings.service';

/** The institute as stored: only the two fields `sender` falls back on. */
const institute = { name: 'Amstel Académie', email: ' info@amstelacademie.example ' } as InstituteSettings;
const settingsRead = { findOneByOrFail: async () => institute } as unknown as EntityManager;
const outbox = (MAIL_FROM?: string) => new MailOutbox({} as MailTemplates, {} as SettingsService, { MAIL_FROM } as Environment);

describe('who mails (the organizer of a mailed calendar)', () => {
  it('is MAIL_FROM with its display name, quoted and escaped parts read as a mail client reads them', async () => {
    await expect(outbox('"Amstel \\"Académie\\", Registrar" <no-reply@amstelacademie.example>').sender(settingsRead)).resolves.toEqual({
      name: 'Amstel "Académie", Registrar',
      email: 'no-reply@amstelacademie.example',
    });
    await expect(outbox('Registrar <no-reply@amstelacademie.example>').sender(settingsRead)).resolves.toEqual({ name: 'Registrar', email: 'no-reply@amstelacademie.example' });
  });

  it("takes the institute's name when MAIL_FROM is a bare address", async () => {
    await expect(outbox('no-reply@amstelacademie.example').sender(settingsRead)).resolves.toEqual({ name: 'Amstel Académie', email: 'no-reply@amstelacademie.example' });
  });

  it("is the institute's own name and address without MAIL_FROM", async () => {
    await expect(outbox().sender(settingsRead)).resolves.toEqual({ name: 'Amstel Académie', email: 'info@amstelacademie.example' });
  });
});
