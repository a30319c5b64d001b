// The two string hashes TensorFlow's hashing ops use, over bytes, in 64-bit BigInt arithmetic:
// FarmHash's Fingerprint64 (farmhashna::Hash64; tf.strings.to_hash_bucket_fast) and SipHash-2-4
// (tf.strings.to_hash_bucket_strong) with a 128-bit key.

const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const wrap = (v: bigint) => v & MASK;
const mul = (a: bigint, b: bigint) => (a * b) & MASK;
const add = (a: bigint, b: bigint) => (a + b) & MASK;
const rotr = (v: bigint, s: bigint) => (s === 0n ? v : ((v >> s) | (v << (64n - s))) & MASK);
const rotl = (v: bigint, s: bigint) => ((v << s) | (v >> (64n - s))) & MASK;
const shiftMix = (v: bigint) => v ^ (v >> 47n);

function fetch(bytes: Uint8Array, at: number, width: 4 | 8): bigint {
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
  return v;
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

/** FarmHash Fingerprint64 (farmhashna::Hash64) of `bytes`: what tf.strings.to_hash_bucket_fast takes modulo the buckets. */
export function fingerprint64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  if (len <= 16) return hashLen0to16(bytes);
  if (len <= 32) return hashLen17to32(bytes);
  if (len <= 64) return hashLen33to64(bytes);
  return hashLongerThan64(bytes);
}

function hashLen0to16(bytes: Uint8Array): bigint {
  const len = bytes.length;
  const n = BigInt(len);
  if (len >= 8) {
    const m = add(K2, n * 2n);
    const a = add(fetch(bytes, 0, 8), K2);
    const b = fetch(bytes, len - 8, 8);
    const c = add(mul(rotr(b, 37n), m), a);
    const d = mul(add(rotr(a, 25n), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, n * 2n);
    return hashLen16(add(n, fetch(bytes, 0, 4) << 3n), fetch(bytes, len - 4, 4), m);
  }
  if (len > 0) {
    const y = BigInt(bytes[0]) + (BigInt(bytes[len >> 1]) << 8n);
    const z = n + (BigInt(bytes[len - 1]) << 2n);
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(bytes: Uint8Array): bigint {
  const len = bytes.length;
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(fetch(bytes, 0, 8), K1);
  const b = fetch(bytes, 8, 8);
  const c = mul(fetch(bytes, len - 8, 8), m);
  const d = mul(fetch(bytes, len - 16, 8), K2);
  return hashLen16(add(add(rotr(add(a, b), 43n), rotr(c, 30n)), d), add(add(a, rotr(add(b, K2), 18n)), c), m);
}

function hashLen33to64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(fetch(bytes, 0, 8), K2);
  const b = fetch(bytes, 8, 8);
  const c = mul(fetch(bytes, len - 8, 8), m);
  const d = mul(fetch(bytes, len - 16, 8), K2);
  const y = add(add(rotr(add(a, b), 43n), rotr(c, 30n)), d);
  const z = hashLen16(y, add(add(a, rotr(add(b, K2), 18n)), c), m);
  const e = mul(fetch(bytes, 16, 8), m);
  const f = fetch(bytes, 24, 8);
  const g = mul(add(y, fetch(bytes, len - 32, 8)), m);
  const h = mul(add(z, fetch(bytes, len - 24, 8)), m);
  return hashLen16(add(add(rotr(add(e, f), 43n), rotr(g, 30n)), h), add(add(e, rotr(add(f, a), 18n)), g), m);
}

/** FarmHash's weak 128-bit hash of the 32 bytes at `at`, seeded by (a, b). */
function weakHash32(bytes: Uint8Array, at: number, a: bigint, b: bigint): [bigint, bigint] {
  const [w, x, y, z] = [0, 8, 16, 24].map((o) => fetch(bytes, at + o, 8));
  a = add(a, w);
  b = rotr(add(add(b, a), z), 21n);
  const c = a;
  a = add(add(a, x), y);
  b = add(b, rotr(a, 44n));
  return [add(a, z), add(b, c)];
}

function hashLongerThan64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  const seed = 81n;
  let x = add(mul(seed, K2), fetch(bytes, 0, 8));
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  // One round over each 64-byte block but the last, then a final round over the last 64 bytes.
  const step = (at: number, m: bigint, last: boolean) => {
    x = mul(rotr(add(add(add(x, y), v[0]), fetch(bytes, at + 8, 8)), 37n), m);
    y = mul(rotr(add(add(y, v[1]), fetch(bytes, at + 48, 8)), 42n), m);
    x ^= last ? mul(w[1], 9n) : w[1];
    y = add(y, add(last ? mul(v[0], 9n) : v[0], fetch(bytes, at + 40, 8)));
    z = mul(rotr(add(z, w[0]), 33n), m);
    v = weakHash32(bytes, at, mul(v[1], m), add(x, w[0]));
    w = weakHash32(bytes, at + 32, add(z, w[1]), add(y, fetch(bytes, at + 16, 8)));
    [x, z] = [z, x];
  };
  const end = Math.floor((len - 1) / 64) * 64;
  for (let at = 0; at < end; at += 64) step(at, K1, false);
  const m = add(K1, (z & 0xffn) << 1n);
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  step(len - 64, m, true);
  return hashLen16(add(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0)), z), add(hashLen16(v[1], w[1], m), x), m);
}

/** SipHash-2-4 of `bytes` under the key (k0, k1), each an unsigned 64-bit integer. */
export function sipHash24(bytes: Uint8Array, k0: bigint, k1: bigint): bigint {
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = () => {
    v0 = add(v0, v1); v1 = rotl(v1, 13n); v1 ^= v0; v0 = rotl(v0, 32n);
    v2 = add(v2, v3); v3 = rotl(v3, 16n); v3 ^= v2;
    v0 = add(v0, v3); v3 = rotl(v3, 21n); v3 ^= v0;
    v2 = add(v2, v1); v1 = rotl(v1, 17n); v1 ^= v2; v2 = rotl(v2, 32n);
  };
  const compress = (m: bigint) => {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  };
  const whole = bytes.length - (bytes.length % 8);
  for (let at = 0; at < whole; at += 8) compress(fetch(bytes, at, 8));
  let last = BigInt(bytes.length & 0xff) << 56n;
  for (let i = whole; i < bytes.length; i++) last |= BigInt(bytes[i]) << BigInt(8 * (i - whole));
  compress(last);
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return wrap(v0 ^ v1 ^ v2 ^ v3);
}
