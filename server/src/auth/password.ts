/**
 * Password hashing with scrypt (node:crypto). Hashes are self-describing strings
 * `scrypt$N$r$p$salt$hash` (salt and hash in base64), so the cost can change later
 * without breaking stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const DEFAULT = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 };

/** Parsed form of a hash string; `undefined` when the string is not one. */
interface ParsedHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parsePasswordHash(text: string): ParsedHash | undefined {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d{1,9}$/.test(x) ? Number(x) : NaN));
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20) return undefined;
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16)
    return undefined;
  if (!B64.test(parts[4]) || !B64.test(parts[5])) return undefined;
  const salt = Buffer.from(parts[4], 'base64');
  const hash = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 128) return undefined;
  return { N, r, p, salt, hash };
}

function derive(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  length: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128 * N * r bytes; allow twice that.
    scrypt(
      password.normalize('NFC'),
      salt,
      length,
      { N, r, p, maxmem: 256 * N * r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** Hash a password with fresh salt. `cost` lowers N for tests only. */
export async function hashPassword(password: string, cost: { N?: number } = {}): Promise<string> {
  const N = cost.N ?? DEFAULT.N;
  const salt = randomBytes(DEFAULT.saltLength);
  const hash = await derive(password, salt, N, DEFAULT.r, DEFAULT.p, DEFAULT.keyLength);
  return ['scrypt', N, DEFAULT.r, DEFAULT.p, salt.toString('base64'), hash.toString('base64')].join(
    '$',
  );
}

/** Constant-time comparison of a password against a hash string; false for malformed hashes. */
export async function verifyPassword(password: string, hashText: string): Promise<boolean> {
  const parsed = parsePasswordHash(hashText);
  if (!parsed) return false;
  const candidate = await derive(
    password,
    parsed.salt,
    parsed.N,
    parsed.r,
    parsed.p,
    parsed.hash.length,
  );
  return timingSafeEqual(candidate, parsed.hash);
}

/** A hash that matches no password, so unknown accounts cost as much time as known ones. */
export const DUMMY_HASH = `scrypt$${DEFAULT.N}$${DEFAULT.r}$${DEFAULT.p}$${Buffer.alloc(16, 7).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
