/** A postal address as every module stores and prints it: a student's, an employer's, the institute's. */
export class PostalAddress {
  street: string;
  houseNumber: string;
  /** Dutch `1234 AB` when the country is NL; otherwise as the country writes it. */
  postcode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}
