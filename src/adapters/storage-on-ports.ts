/**
 * The `Storage` an adapter's openStorage returns: its ports read through `LazyPorts` (so each opens
 * on first use), beside what differs by adapter (label, absentFile, migrate, close). Written once so
 * that a new port is one more getter here, not one in every adapter.
 */
import type { Storage } from '../ports/storage.js';
import type { LazyPorts } from './lazy-ports.js';

export type StoragePorts = Pick<
  Storage,
  | 'inbox'
  | 'outbox'
  | 'processing'
  | 'reads'
  | 'retention'
  | 'destinations'
  | 'conversations'
  | 'actions'
  | 'sends'
>;

export function storageOnPorts(
  ports: LazyPorts<StoragePorts>,
  rest: Omit<Storage, keyof StoragePorts>,
): Storage {
  return {
    ...rest,
    get inbox() {
      return ports.get('inbox');
    },
    get outbox() {
      return ports.get('outbox');
    },
    get processing() {
      return ports.get('processing');
    },
    get reads() {
      return ports.get('reads');
    },
    get retention() {
      return ports.get('retention');
    },
    get destinations() {
      return ports.get('destinations');
    },
    get conversations() {
      return ports.get('conversations');
    },
    get actions() {
      return ports.get('actions');
    },
    get sends() {
      return ports.get('sends');
    },
  };
}
