/**
 * A MariaDB/MySQL database of its own for one test file (SERVICE_URLS.mysql), dropped when the file
 * ends, so files running in parallel never share tables.
 */
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { SERVICE_URLS } from './service-suite.js';

export interface MysqlTestDb {
  /** `mysql://…/<the fresh database>`. */
  readonly url: string;
  /** A connection to that database, for inspection and fault injection. */
  readonly admin: Connection;
  /** Rows of a query. */
  rows<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
}

/** Call at the top level of a describe(): the database is created now and dropped after the file. */
export async function freshMysqlDatabase(): Promise<MysqlTestDb> {
  const name = `wharf_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const server = await createConnection({ uri: SERVICE_URLS.mysql });
  await server.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const u = new URL(SERVICE_URLS.mysql);
  u.pathname = `/${name}`;
  const admin = await createConnection({ uri: u.toString(), timezone: 'Z' });
  after(async () => {
    await admin.end().catch(() => undefined);
    await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await server.end();
  });
  return {
    url: u.toString(),
    admin,
    async rows<T>(sql: string, values: unknown[] = []) {
      const [rows] = await admin.query(sql, values);
      return rows as T[];
    },
  };
}
