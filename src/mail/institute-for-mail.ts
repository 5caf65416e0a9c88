import type { InstituteSettings, SettingsImage } from '../settings/institute-settings.entity';
import type { InstituteForMail } from './templates/mail-templates';

/** The content id under which the institute's logo travels inline with each message. */
export const LOGO_CONTENT_ID = 'logo';

/** The institute's particulars as the mail layout shows them. */
export function instituteForMail(settings: InstituteSettings, logoSrc?: string): InstituteForMail {
  const address = settings.visitingAddress;
  return {
    name: settings.name,
    addressLines: [address.street, [address.postcode, address.city].filter(Boolean).join(' ')].filter((line) => line.trim() !== ''),
    phone: settings.phone,
    email: settings.email,
    website: settings.website,
    ...(logoSrc ? { logoSrc } : {}),
  };
}

export function logoFilename(logo: SettingsImage): string {
  return logo.mediaType === 'image/png' ? 'logo.png' : 'logo.jpg';
}
