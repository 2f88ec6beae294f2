/** Old slots moved into the new table per add while the table grows. */
export const SLOTS_MOVED_PER_ADD = 8;

/**
 * A multimap from 48-bit keys (numbers) to ids, for the inbox writer's recent body hashes
 * (recent-hashes.ts): open addressing with linear probing, an id of 0 marking an empty slot.
 *
 * It grows without a pause. Doubling a table by moving every entry at once stalls the add that
 * crosses the threshold for as long as the move takes: measured in the overload bench, 134 ms at
 * 262,144 hashes, 280 ms at 524,288 and 492 ms at 1,048,576, every group commit and every request
 * waiting for it held that long. Instead, the full table is kept beside the new one and each add
 * moves the next SLOTS_MOVED_PER_ADD of its slots. A table of C slots grows when it holds C / 2
 * entries; its C slots are all moved after C / SLOTS_MOVED_PER_ADD adds, and the new table (2C
 * slots) grows again only after C / 2 adds, so the move is over long before the next growth.
 * Meanwhile a lookup probes both tables, and in the old one reports only the slots not moved yet
 * (each id is reported once); moved slots are left in place so that the old table's probe chains
 * stay whole.
 */
export class GrowingHashTable {
  private keys = new Float64Array(1024);
  private ids = new Float64Array(1024);
  /** The table before the last growth, while its slots are being moved; below `moved` they are. */
  private oldKeys: Float64Array | undefined;
  private oldIds: Float64Array | undefined;
  private moved = 0;
  size = 0;
  /** Slots of the old table the last add moved (what it cost beyond its own entry). */
  slotsMovedByLastAdd = 0;

  add(key: number, id: number): void {
    if (id <= 0) throw new RangeError('ids start at 1');
    this.slotsMovedByLastAdd = this.oldIds ? this.moveSome(SLOTS_MOVED_PER_ADD) : 0;
    if ((this.size + 1) * 2 > this.ids.length) this.grow();
    put(this.keys, this.ids, key, id);
    this.size++;
  }

  find(key: number, out: number[]): void {
    findIn(this.keys, this.ids, key, 0, out);
    if (this.oldKeys && this.oldIds) findIn(this.oldKeys, this.oldIds, key, this.moved, out);
  }

  private grow(): void {
    // Cannot happen with SLOTS_MOVED_PER_ADD ≥ 2; kept so that a smaller step stays correct.
    if (this.oldIds) this.moveSome(this.oldIds.length);
    this.oldKeys = this.keys;
    this.oldIds = this.ids;
    this.moved = 0;
    this.keys = new Float64Array(this.ids.length * 2);
    this.ids = new Float64Array(this.ids.length * 2);
  }

  /** Moves up to `slots` old slots into the new table; drops the old one once all are moved. */
  private moveSome(slots: number): number {
    const oldKeys = this.oldKeys as Float64Array;
    const oldIds = this.oldIds as Float64Array;
    const end = Math.min(this.moved + slots, oldIds.length);
    for (let i = this.moved; i < end; i++) {
      const id = oldIds[i] as number;
      if (id !== 0) put(this.keys, this.ids, oldKeys[i] as number, id);
    }
    const count = end - this.moved;
    this.moved = end;
    if (end === oldIds.length) {
      this.oldKeys = undefined;
      this.oldIds = undefined;
    }
    return count;
  }
}

function put(keys: Float64Array, ids: Float64Array, key: number, id: number): void {
  const mask = ids.length - 1;
  let i = key & mask;
  while (ids[i] !== 0) i = (i + 1) & mask;
  keys[i] = key;
  ids[i] = id;
}

/** Pushes the ids stored under `key`, leaving out slots below `from` (already moved elsewhere). */
function findIn(keys: Float64Array, ids: Float64Array, key: number, from: number, out: number[]): void {
  const mask = ids.length - 1;
  for (let i = key & mask; ; i = (i + 1) & mask) {
    const id = ids[i] as number;
    if (id === 0) return;
    if (keys[i] === key && i >= from) out.push(id);
  }
}
