import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { WharfError } from '../../src/errors.js';
import { toStorageError } from '../../src/storage-error.js';
import { listenStartFailure, storageStartFailure } from '../../src/server/start-failure.js';

const config = (env: Record<string, string>) => loadConfig({ env, envFile: false });
/** An error as Node's net and dns modules raise it: a message and a `code`. */
const nodeError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('start-up failures in the words of the catalogue', () => {
  test('a HOST name that does not resolve (getaddrinfo ENOTFOUND / EAI_AGAIN) is HOST_UNAVAILABLE naming HOST', () => {
    const settings = config({ HOST: 'wharf.example.invalid', PORT: '8080' });
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const err = listenStartFailure(nodeError(`getaddrinfo ${code} wharf.example.invalid`, code), settings);
      assert.ok(err instanceof WharfError && err.code === 'HOST_UNAVAILABLE', String(err));
      assert.match(err.message, /HOST \(wharf\.example\.invalid\)/);
    }
  });

  test('a PostgreSQL refusal wrapped as a StorageError is still DATABASE_REFUSED (3D000 no such database)', () => {
    const settings = config({ DATABASE_URL: 'postgres://wharf:pw@db:5432/nope' });
    const refused = toStorageError(
      'database unreachable',
      nodeError('database "nope" does not exist', '3D000'),
    );
    const err = storageStartFailure(refused, settings);
    assert.ok(err instanceof WharfError && err.code === 'DATABASE_REFUSED', String(err));
    assert.doesNotMatch(err.message, /pw@|postgres:\/\//);
  });

  test('a DNS failure for the database host is DATABASE_UNREACHABLE, not HOST_UNAVAILABLE', () => {
    const settings = config({ DATABASE_URL: 'postgres://wharf@db.example.invalid/wharf' });
    const err = storageStartFailure(
      nodeError('getaddrinfo ENOTFOUND db.example.invalid', 'ENOTFOUND'),
      settings,
    );
    assert.ok(err instanceof WharfError && err.code === 'DATABASE_UNREACHABLE', String(err));
  });

  test('what is not a start-up failure of that stage is passed on unchanged', () => {
    const settings = config({});
    const newer = new Error('The database was migrated by a newer release of Wharf: migration 9001_x');
    assert.equal(storageStartFailure(newer, settings), newer);
    const other = nodeError('something else', 'ERR_SOMETHING');
    assert.equal(listenStartFailure(other, settings), other);
  });
});
