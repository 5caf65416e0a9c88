import { randomUUID } from 'node:crypto';
import { bearer, createTestApp, TestApp } from '../test-app';
import { studentInput } from '../factories';

describe('Students and billing parties', () => {
  let t: TestApp;
  let advisor: string;

  beforeAll(async () => {
    t = await createTestApp();
    advisor = (await t.signIn(['advisor'])).token;
  });
  afterAll(() => t.close());

  it('keeps a family-name-first name in its own order', async () => {
    const created = await t.http
      .post('/students')
      .set(bearer(advisor))
      .send(studentInput({ givenNames: 'Thị Minh Khai', namePrefix: '', familyName: 'Nguyễn', familyNameFirst: true }))
      .expect(201);
    expect(created.body).toMatchObject({ givenNames: 'Thị Minh Khai', familyName: 'Nguyễn', familyNameFirst: true });
    const party = await t.http.post('/billing-parties').set(bearer(advisor)).send({ kind: 'student', studentId: created.body.id }).expect(201);
    expect(party.body.name).toBe('Nguyễn Thị Minh Khai');
  });

  it('changes a student with the version read, sending only what changes', async () => {
    const { body: student } = await t.http.post('/students').set(bearer(advisor)).send(studentInput()).expect(201);
    const changed = await t.http
      .patch(`/students/${student.id}`)
      .set(bearer(advisor))
      .send({ profession: 'Praktijkopleider', address: { street: 'Neude', houseNumber: '1', postcode: '3512ad', city: 'Utrecht', country: 'NL' }, version: student.version })
      .expect(200);
    expect(changed.body).toMatchObject({ profession: 'Praktijkopleider', givenNames: student.givenNames, version: student.version + 1 });
    expect(changed.body.address.postcode).toBe('3512 AD');
    const bad = await t.http.patch(`/students/${student.id}`).set(bearer(advisor)).send({ version: changed.body.version, address: { street: 'Neude', houseNumber: '1', postcode: '35', city: 'Utrecht', country: 'NL' } }).expect(400);
    expect(bad.body.errors[0].field).toBe('address.postcode');
  });

  it('changes an employer but never who pays', async () => {
    const { body: party } = await t.http
      .post('/billing-parties')
      .set(bearer(advisor))
      .send({
        kind: 'employer',
        name: 'Stichting Ziekenhuis Amstelzicht',
        address: { street: 'Amstelzichtlaan', houseNumber: '1', postcode: '1181 AB', city: 'Amstelveen', country: 'NL' },
        kvkNumber: '41234567',
        reference: `PO-${randomUUID().slice(0, 8)}`,
      })
      .expect(201);
    const changed = await t.http.patch(`/billing-parties/${party.id}`).set(bearer(advisor)).send({ reference: 'PO-2027-114', version: party.version }).expect(200);
    expect(changed.body).toMatchObject({ kind: 'employer', reference: 'PO-2027-114' });
    const refused = await t.http.patch(`/billing-parties/${party.id}`).set(bearer(advisor)).send({ kind: 'student', version: changed.body.version }).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'kind', rule: 'unknown_field' })]);
  });
});
