import { ApiProperty } from '@nestjs/swagger';

/**
 * What a course can be, in the catalogue's words: its VAT treatment, the prior education it
 * asks, how it is given, the kinds of its other fees and the PE points it earns. Published for
 * the modules that read courses (advice, enrolment's entry check, invoicing), so that none of
 * them reads the course entity's file.
 */
export const VAT_TREATMENTS = ['exempt', 'rate_21', 'rate_9', 'rate_0'] as const;
/** `exempt`: vocational education by a CRKBO-registered institute (art. 11 lid 1 onderdeel o Wet OB); otherwise a rate in percent. */
export type VatTreatment = (typeof VAT_TREATMENTS)[number];

export const PRIOR_EDUCATION_LEVELS = ['hbo_bachelor', 'wo_bachelor', 'wo_master', 'hbo_level_intake'] as const;
export type PriorEducationLevel = (typeof PRIOR_EDUCATION_LEVELS)[number];

export const DELIVERY_MODES = ['on_site', 'online', 'blended'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const FEE_KINDS = ['exam', 'materials', 'other'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** Declared here, not by the swagger plugin, which reads only DTO and entity files. */
export class PePoints {
  @ApiProperty({ description: 'The professional register, e.g. "Registerplein" or "V&VN Kwaliteitsregister".' })
  register: string;

  @ApiProperty()
  points: number;
}
