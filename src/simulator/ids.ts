/**
 * Realistic, reproducible identifiers for simulated traffic. Everything comes from one seeded PRNG
 * (mulberry32), so `--seed 42` replays exactly the same wamids, BSUIDs and bodies — and therefore the
 * same bytes and signatures — on every run. Formats follow Meta's docs on identifier formats and message ids.
 */
import { mulberry32 } from '../util/mulberry32.js';

export interface Ids {
  /** A float in [0, 1) from the seeded generator. */
  random(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** `digits` decimal digits, the first one non-zero. */
  digits(count: number): string;
  /** `wamid.` + base64, shaped like Meta's (an encoded recipient number plus a 20-char hex message key). */
  wamid(waId: string): string;
  /** Call id: `wacid.` + base64. */
  wacid(): string;
  /** BSUID: ISO country + `.` + digits, e.g. `GB.4829103748291037482` (Meta's docs on identifier formats). */
  bsuid(country: string): string;
  /** Parent BSUID: `GB.ENT.…`. */
  parentBsuid(country: string): string;
  /** Base64 SHA-256-looking media hash (Meta sends base64 in `messages`, Meta's docs on media). */
  sha256Base64(): string;
  /** A token of `length` alphanumerics. */
  token(length: number): string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX_UPPER = '0123456789ABCDEF';

export function createIds(seed: number): Ids {
  const random = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = (alphabet: string, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)];
    return out;
  };
  const digits = (count: number): string => String(int(1, 9)) + pick('0123456789', count - 1);
  return {
    random,
    int,
    digits,
    wamid(waId) {
      // Real wamids are base64 of a small binary record holding the recipient number and a hex key.
      const num = Buffer.from(waId, 'ascii');
      const key = Buffer.from(pick(HEX_UPPER, 20), 'ascii');
      const record = Buffer.concat([
        Buffer.from([0x1c, 0x18, num.length]),
        num,
        Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, key.length]),
        key,
        Buffer.from([0x00]),
      ]);
      return 'wamid.' + record.toString('base64');
    },
    wacid() {
      return 'wacid.' + Buffer.from(pick(HEX_UPPER, 32), 'ascii').toString('base64');
    },
    bsuid(country) {
      return `${country}.${digits(19)}`;
    },
    parentBsuid(country) {
      return `${country}.ENT.${digits(19)}`;
    },
    sha256Base64() {
      const bytes = Buffer.alloc(32);
      for (let i = 0; i < 32; i++) bytes[i] = int(0, 255);
      return bytes.toString('base64');
    },
    token(length) {
      return pick(ALNUM, length);
    },
  };
}
