import { Client } from 'pg';
import { DEMO_INSTITUTE } from '../src/demo/demo-institute';

// Apart from test/factories.ts, whose imports reach the whole application: global-setup loads only this.
/**
 * Gives the run's test database the demo institute's particulars (mail shows them), once, in
 * global-setup.ts: suites rely on them and never set them themselves.
 */
export async function seedInstitute(databaseUrl: string): Promise<void> {
  const columns: Record<string, unknown> = {};
  const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  for (const [key, value] of Object.entries(DEMO_INSTITUTE)) {
    if (value && typeof value === 'object') for (const [part, v] of Object.entries(value)) columns[`${snake(key)}_${snake(part)}`] = v;
    else columns[snake(key)] = value;
  }
  const names = Object.keys(columns);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`UPDATE institute_settings SET ${names.map((n, i) => `${n} = $${i + 1}`).join(', ')} WHERE id = 1`, Object.values(columns));
  } finally {
    await client.end();
  }
}
