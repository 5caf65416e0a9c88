/**
 * A believable Dutch institute for the demo (and the test run's institute). Checked as an
 * `UpdateSettingsDto` where it is given to the settings; no import here, so that the tests'
 * global setup can load it on its own.
 */
export const DEMO_INSTITUTE = {
  name: 'Amstel Academie voor Post-hbo Onderwijs',
  visitingAddress: { street: 'Wibautstraat 150', postcode: '1091 GR', city: 'Amsterdam', country: 'NL' },
  postalAddress: { street: 'Postbus 94210', postcode: '1090 GE', city: 'Amsterdam', country: 'NL' },
  phone: '+31 20 595 1234',
  email: 'info@amstelacademie.example',
  website: 'https://www.amstelacademie.example',
  kvkNumber: '34281937',
  vatNumber: 'NL812345678B01',
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
  crkboRegistration: 'CRKBO-I 20190412',
  directorName: 'drs. Marieke van den Broek',
  coordinatorName: 'Youssef El Amrani MSc',
  defaultLanguage: 'nl' as const,
  paymentTermDays: 30,
};

/** One demo user per staff role; teachers and students come with their records. */
export const DEMO_STAFF = [
  { role: 'admin', email: 'beheer@amstelacademie.example', displayName: 'Sanne de Vries' },
  { role: 'planner', email: 'planning@amstelacademie.example', displayName: 'Lieke Janssen' },
  { role: 'advisor', email: 'advies@amstelacademie.example', displayName: 'Eelke Bakker' },
  { role: 'coordinator', email: 'coordinatie@amstelacademie.example', displayName: 'Youssef El Amrani' },
  { role: 'finance', email: 'financien@amstelacademie.example', displayName: 'Agnieszka Wiśniewska' },
] as const;
