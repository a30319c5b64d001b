// The hashed feature cross of tf.sparse.cross_hashed (TensorFlow's SparseCross op with hashed
// output, its HashCrosser), which Keras' HashedCrossing runs, in 64-bit BigInt arithmetic.
import { fingerprint64 } from './string_hash.js';

const MASK = (1n << 64n) - 1n;
const MUL = 0xc6a4a7935bd1e995n;
const INT64_MAX = (1n << 63n) - 1n;
const shiftMix = (v: bigint) => v ^ (v >> 47n);
const encoder = new TextEncoder();

/** tf.sparse.cross_hashed's default `hash_key`, where every cross's hash starts. */
export const DEFAULT_CROSS_HASH_KEY = 0xdecafcaffen;

/** TensorFlow's FingerprintCat64: folds the fingerprint `fp2` into `fp1` (not commutative). */
export function fingerprintCat64(fp1: bigint, fp2: bigint): bigint {
  let result = fp1 ^ MUL;
  result ^= (shiftMix((fp2 * MUL) & MASK) * MUL) & MASK;
  result = (result * MUL) & MASK;
  result = (shiftMix(result) * MUL) & MASK;
  return shiftMix(result);
}

/**
 * One feature's 64-bit value in the cross: a string's FarmHash Fingerprint64 (of its UTF-8 bytes),
 * an integer's own int64 bits (TensorFlow does not hash int64 features, nor their decimal strings).
 */
export function crossFeatureHash(feature: string | number | bigint): bigint {
  return typeof feature === 'string' ? fingerprint64(encoder.encode(feature)) : BigInt.asUintN(64, BigInt(feature));
}

/**
 * The bin of one cross of `features`, in order: FingerprintCat64 chained from `hashKey` over each
 * feature's {@link crossFeatureHash}, modulo `numBins`, or with `numBins` 0 modulo 2^63 − 1 (as TF keeps it non-negative).
 */
export function crossHash(features: readonly (string | number | bigint)[], numBins: number, hashKey = DEFAULT_CROSS_HASH_KEY): bigint {
  let hash = hashKey & MASK;
  for (const feature of features) hash = fingerprintCat64(hash, crossFeatureHash(feature));
  return hash % (numBins > 0 ? BigInt(numBins) : INT64_MAX);
}
