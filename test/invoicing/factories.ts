import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import type { Response } from 'superagent';
import { bearer, TestApp } from '../test-app';

type Body = Record<string, unknown>;

/** An employer that wants Peppol e-invoices. */
export async function createEmployer(t: TestApp, token: string, overrides: Body = {}): Promise<{ id: string; name: string }> {
  const kvk = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const response = await t.http
    .post('/billing-parties')
    .set(bearer(token))
    .send({
      kind: 'employer',
      name: 'Zorggroep Noord B.V.',
      address: { street: 'Stationsplein', houseNumber: '1', postcode: '9711 AA', city: 'Groningen', country: 'NL' },
      vatNumber: 'NL987654321B01',
      kvkNumber: kvk,
      contactName: 'Crediteurenadministratie',
      contactEmail: `crediteuren-${randomUUID()}@zorggroep.example`,
      reference: 'PO-2027-0042',
      peppolId: `0106:${kvk}`,
      ...overrides,
    })
    .expect(201);
  return response.body;
}

/** A student paying privately: a billing party of kind student for a (new) student with an address. */
export async function createPrivatePayer(t: TestApp, token: string, studentId?: string): Promise<{ id: string; studentId: string }> {
  const student =
    studentId ??
    (
      (await t.app.get(DataSource).query(
        `INSERT INTO student (given_names, family_name, email, locale, address) VALUES ('Zoë', 'Şahin-Łukasiewicz', $1, 'nl', $2) RETURNING id`,
        [`zoe-${randomUUID()}@example.nl`, JSON.stringify({ street: 'Oudegracht', houseNumber: '12a', postcode: '3511 AB', city: 'Utrecht', country: 'NL' })],
      )) as { id: string }[]
    )[0].id;
  const response = await t.http.post('/billing-parties').set(bearer(token)).send({ kind: 'student', studentId: student, reference: 'Zelfbetaler' }).expect(201);
  return { id: response.body.id, studentId: student };
}

export const tuitionLine = (overrides: Body = {}) => ({ description: 'Cursusgeld Post-hbo Wondzorg', quantity: 1, unitPriceCents: 245000, vatCategory: 'exempt', ...overrides });

/** A draft with the given lines, issued; the invoice's answer. */
export async function issuedInvoice(t: TestApp, token: string, billingPartyId: string, lines: Body[] = [tuitionLine()]): Promise<Body & { id: string; number: string; grossCents: number }> {
  const draft = await t.http.post('/invoices').set(bearer(token)).send({ billingPartyId, lines }).expect(201);
  const issued = await t.http.post(`/invoices/${draft.body.id}/issue`).set(bearer(token)).expect(200);
  return issued.body;
}

export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
}

/** supertest's parser for binary answers. */
export function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const response = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
}
