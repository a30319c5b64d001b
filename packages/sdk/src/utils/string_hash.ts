// The two string hashes TensorFlow's hashing ops use, over bytes, in 64-bit BigInt arithmetic:
// FarmHash's Fingerprint64 (farmhashna::Hash64; tf.strings.to_hash_bucket_fast) for the short
// strings of formatted int32s, and SipHash-2-4 (tf.strings.to_hash_bucket_strong) with a 128-bit key.

const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
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

/** FarmHash Fingerprint64 of up to 16 bytes: the strings of formatted int32 values need at most 11. */
export function fingerprint64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  const n = BigInt(len);
  if (len > 16) throw new Error(`fingerprint64 hashes up to 16 bytes here; received ${len}.`);
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
