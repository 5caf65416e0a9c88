import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseUnreachableError } from './connection-errors';
import { EmbeddedDatabase, isAlive, portInUse } from './embedded-database';

describe('the embedded database lock: is its owner alive?', () => {
  it('takes a running process as alive and an ended one as gone', async () => {
    expect(isAlive(process.pid)).toBe(true);
    const child = spawn('true');
    await once(child, 'exit');
    expect(isAlive(child.pid!)).toBe(false);
  });

  it('takes a killed process that nobody reaped (a zombie, which still answers signal 0) as gone', async () => {
    // `sleep 0` ends at once; its parent execs `sleep 5` and never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5']);
    try {
      const [output] = (await once(parent.stdout, 'data')) as [Buffer];
      const zombie = Number(output.toString().trim());
      await sleep(200);
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isAlive(zombie)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

describe('the embedded database on a port another program holds', () => {
  it('refuses to start in words naming EMBEDDED_PG_PORT, and leaves the data directory unlocked', async () => {
    const holder = createServer();
    await new Promise<void>((listening) => holder.listen(0, '127.0.0.1', listening));
    const { port } = holder.address() as AddressInfo;
    const dataDir = mkdtempSync(join(tmpdir(), 'registrar-port-taken-'));
    try {
      expect(await portInUse(port)).toBe(true);
      const refused = EmbeddedDatabase.start(dataDir, port);
      await expect(refused).rejects.toThrow(DatabaseUnreachableError);
      await expect(refused).rejects.toThrow(`Port ${port} on 127.0.0.1 is in use by another program`);
      expect(existsSync(join(dataDir, 'registrar.lock'))).toBe(false);
    } finally {
      holder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(await portInUse(port)).toBe(false);
  });
});
