import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DatabaseAvailability } from './database-availability';

const RECONNECT_MILLISECONDS = 5_000;

/**
 * A connection of its own that LISTENs on one PostgreSQL channel. A NOTIFY sent inside a
 * transaction arrives at its commit, in every process that listens. A lost connection is
 * reported through `onLost` (notifications may have been missed meanwhile) and made again.
 */
export class NotificationListener {
  private client: Client | undefined;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly logger: Logger,
    /** Told of a database that cannot be reached, which it logs once per outage; other failures are logged here. */
    private readonly availability: DatabaseAvailability,
    private readonly onNotification: (payload: string) => void,
    private readonly onLost: () => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: `registrar-${this.channel}` });
    client.on('notification', (message) => this.onNotification(message.payload ?? ''));
    client.on('error', (error) => {
      if (this.client !== client) return;
      if (!this.availability.reportIfUnreachable(error)) this.logger.warn(`Listener on ${this.channel} lost: ${error.message}`);
      this.client = undefined;
      this.onLost();
      this.retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      if (!this.availability.reportIfUnreachable(error)) this.logger.warn(`Listener on ${this.channel} not started: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      this.retry();
      return;
    }
    if (this.stopped) await client.end().catch(() => undefined);
    else this.client = client;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private retry(): void {
    if (!this.stopped) setTimeout(() => void this.start(), RECONNECT_MILLISECONDS).unref();
  }
}
