import { describe, expect, it } from 'vitest';
import { fingerprint64, sipHash24 } from './string_hash.js';

// Published values, computed by TensorFlow and Keras and by SipHash's authors, not by this code.
const bytes = (s: string) => new TextEncoder().encode(s);

describe('string hashes', () => {
  it("FarmHash Fingerprint64 gives tf.strings.to_hash_bucket_fast's documented buckets (lengths 3, 5 and 10: each short-string branch)", () => {
    // tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3) == [0, 2, 2]
    expect(['Hello', 'TensorFlow', '2.x'].map((s) => fingerprint64(bytes(s)) % 3n)).toEqual([0n, 2n, 2n]);
    // keras.layers.Hashing(num_bins=3) on [['A'], ['B'], ['C'], ['D'], ['E']] == [[1], [0], [1], [1], [2]]
    expect(['A', 'B', 'C', 'D', 'E'].map((s) => fingerprint64(bytes(s)) % 3n)).toEqual([1n, 0n, 1n, 1n, 2n]);
    expect(fingerprint64(new Uint8Array(0))).toBe(0x9ae16a3b2f90404fn);
    expect(() => fingerprint64(new Uint8Array(17))).toThrow(/up to 16 bytes here; received 17/);
  });

  it("SipHash-2-4 gives the reference paper's test vector and Keras' documented salted buckets", () => {
    // SipHash paper, appendix A: key 00..0f, message 00..0e.
    const message = Uint8Array.from({ length: 15 }, (_, i) => i);
    expect(sipHash24(message, 0x0706050403020100n, 0x0f0e0d0c0b0a0908n)).toBe(0xa129ca6149be45e5n);
    // keras.layers.Hashing(num_bins=3, salt=133) on 'A'..'E' == [[0], [0], [2], [1], [0]]
    expect(['A', 'B', 'C', 'D', 'E'].map((s) => sipHash24(bytes(s), 133n, 133n) % 3n)).toEqual([0n, 0n, 2n, 1n, 0n]);
  });
});
