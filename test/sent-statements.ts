import { Client } from 'pg';

export interface SentStatement {
  text: string;
  values: unknown[];
}

/** The SQL statements sent while `work` runs, by TypeORM or straight through the pool, with their values. */
export async function sentStatements(work: () => Promise<unknown>): Promise<SentStatement[]> {
  const query = Client.prototype.query;
  const sent: SentStatement[] = [];
  Client.prototype.query = function (this: Client, statement: string | { text: string; values?: unknown[] }, ...rest: unknown[]) {
    if (typeof statement === 'string') sent.push({ text: statement, values: Array.isArray(rest[0]) ? rest[0] : [] });
    else sent.push({ text: statement.text, values: statement.values ?? [] });
    return (query as (...args: unknown[]) => unknown).call(this, statement, ...rest);
  } as typeof query;
  try {
    await work();
  } finally {
    Client.prototype.query = query;
  }
  return sent;
}
