import type { PoolClient } from 'pg';
import type { PostgresDatabase } from './open-database.js';

export interface ListenOptions {
  /** Pause before reconnecting after the connection broke. */
  readonly retryMs?: number;
  /** Called on every (re)connection: notifications sent while disconnected are lost, so look now. */
  readonly onConnect?: () => void;
}

/**
 * LISTEN on one channel over a connection of its own (taken from the pool and kept), reconnecting
 * when it breaks (server restart, network, pg_terminate_backend). Notifications are wake-up hints
 * only; whoever listens also polls, so a gap while reconnecting delays work but loses none.
 */
export class ChannelListener {
  private client: PoolClient | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | null = null;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
    private readonly options: ListenOptions = {},
  ) {}

  start(): void {
    if (this.closed || this.client || this.connecting) return;
    this.connecting = this.connect().finally(() => {
      this.connecting = null;
    });
  }

  private async connect(): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.db.pool.connect();
      const c = client;
      c.on('notification', (n) => {
        if (n.channel === this.channel) this.onNotify(n.payload ?? '');
      });
      c.on('error', (err) => this.lost(c, err));
      await c.query(`LISTEN "${this.channel}"`);
      if (this.closed) {
        c.release(true);
        return;
      }
      this.client = c;
      this.options.onConnect?.();
    } catch (err) {
      if (client) client.release(err instanceof Error ? err : true);
      this.retry();
    }
  }

  private lost(c: PoolClient, err: Error): void {
    if (this.client !== c) return;
    this.client = null;
    c.release(err);
    this.retry();
  }

  private retry(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), this.options.retryMs ?? 1000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.connecting;
    const c = this.client;
    this.client = null;
    // Destroyed rather than returned: a pooled connection must not keep listening for someone else.
    c?.release(true);
  }
}
