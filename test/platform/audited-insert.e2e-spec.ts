import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditedInsert } from '../../src/audit/audited-insert';
import { UserAccount } from '../../src/auth/user-account.entity';
import { RequestContext } from '../../src/kernel/request-context';
import { createTestApp, TestApp } from '../test-app';

/** One statement for a new row and its audit entry, recording what a save in a transaction records. */
describe('AuditedInsert', () => {
  let t: TestApp;
  let db: DataSource;
  let audited: AuditedInsert;
  const actor = { id: randomUUID(), email: 'auditor@example.org', roles: ['admin' as const] };
  const account = (email: string) =>
    Object.assign(new UserAccount(), { email, displayName: 'Inserted', passwordHash: 'not-a-hash', roles: ['advisor'], locale: 'nl', studentId: null, teacherId: null, active: true });
  const entriesOf = (id: string) => db.query(`SELECT actor_id, actor_email, request_id, job_id, action, entity, entity_id, changes, reason FROM audit_entry WHERE entity_id = $1`, [id]);
  const inRequest = <T>(work: () => Promise<T>) => RequestContext.run({ requestId: randomUUID(), actor }, work);

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    audited = t.app.get(AuditedInsert);
  });
  afterAll(() => t.close());

  it('writes the row with the values the database would generate, and an audit entry like a save’s', async () => {
    const inserted = await inRequest(() => audited.insert(UserAccount, account(`one-${randomUUID()}@example.org`)));
    const saved = await inRequest(() => db.transaction((manager) => manager.save(account(`two-${randomUUID()}@example.org`))));
    expect(inserted).toMatchObject({ id: expect.any(String), version: 1, createdAt: expect.any(Date), updatedAt: inserted.createdAt });

    const [row] = await db.query(`SELECT id, email, roles, version, created_at, updated_at FROM user_account WHERE id = $1`, [inserted.id]);
    expect(row).toEqual({ id: inserted.id, email: inserted.email, roles: ['advisor'], version: 1, created_at: inserted.createdAt, updated_at: inserted.createdAt });

    const [entry] = await entriesOf(inserted.id);
    const [savedEntry] = await entriesOf(saved.id);
    expect(entry).toMatchObject({ actor_id: actor.id, actor_email: actor.email, action: 'create', entity: 'user_account', reason: null });
    expect(Object.keys(entry.changes).sort()).toEqual(Object.keys(savedEntry.changes).sort());
    expect(entry.changes.passwordHash).toEqual({ to: '[redacted]' });
    expect(entry.changes.createdAt).toEqual({ to: inserted.createdAt.toISOString() });
    expect(entry.changes.version).toEqual({ to: 1 });
  });

  it('writes neither row nor audit entry when the row is refused', async () => {
    const refused = Object.assign(account(`three-${randomUUID()}@example.org`), { id: randomUUID(), locale: 'fr' });
    await expect(inRequest(() => audited.insert(UserAccount, refused))).rejects.toThrow();
    expect(await db.query(`SELECT 1 FROM user_account WHERE id = $1`, [refused.id])).toEqual([]);
    expect(await entriesOf(refused.id)).toEqual([]);
  });

  it('writes no audit entry for work outside a request or job, as a save does not', async () => {
    const inserted = await audited.insert(UserAccount, account(`four-${randomUUID()}@example.org`));
    expect(await db.query(`SELECT 1 FROM user_account WHERE id = $1`, [inserted.id])).toHaveLength(1);
    expect(await entriesOf(inserted.id)).toEqual([]);
  });
});
