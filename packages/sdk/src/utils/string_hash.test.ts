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
  });

  it('FarmHash Fingerprint64 matches published farmhashna::Hash64 values at every length branch (17-32, 33-64, over 64 bytes)', () => {
    // Golden values of the tecnickcom/farmhash64 port of farmhashna::Hash64 (its R package's tests), not computed here.
    const golden: [string, bigint][] = [
      ['0123456789', 0xad052244b781c4ebn],
      ['0123456789=012345', 0x46a7416ed4861e3bn],
      ['0123456789^0123456789', 0xdebcba8e6f3eabd1n],
      ['0123456789%0123456789£', 0x4dbd128af51d77e8n],
      ['C is as portable as Stonehedge!!', 0xb944f8a16261e414n],
      ['Discard medicine more than two years old.', 0xe8f89ab6df9bdd25n],
      ['How can you write a big system without C++?  -Paul Glick', 0x5a0a6efd52e84e2an],
      ['For every action there is an equal and opposite government program.', 0x55182f8859eca4cen],
      ['There is no reason for any individual to have a computer in their home. -Ken Olsen, 1977', 0x7e85d7b050ed2967n],
      ['The fugacity of a constituent in a mixture of gases at a given temperature is proportional to its mole fraction.  Lewis-Randall Rule', 0x098eff6958c5e91an],
    ];
    expect(golden.map(([s]) => fingerprint64(bytes(s)))).toEqual(golden.map(([, h]) => h));
    const alphabet = 'abcdefghijklmnopqrstuvwxyz'.repeat(6);
    const boundaries: [number, bigint][] = [[33, 0x1bd257e2fc3da812n], [63, 0xd52b7a8646a91b9en], [64, 0x9c4a595c23bb9bfan], [65, 0x2434d8917886fe2an], [128, 0xc3244d5ec8a4474an], [129, 0x9b1ca0571b8cefd4n]];
    expect(boundaries.map(([n]) => fingerprint64(bytes(alphabet.slice(0, n))))).toEqual(boundaries.map(([, h]) => h));
  });

  it("SipHash-2-4 gives the reference paper's test vector and Keras' documented salted buckets", () => {
    // SipHash paper, appendix A: key 00..0f, message 00..0e.
    const message = Uint8Array.from({ length: 15 }, (_, i) => i);
    expect(sipHash24(message, 0x0706050403020100n, 0x0f0e0d0c0b0a0908n)).toBe(0xa129ca6149be45e5n);
    // keras.layers.Hashing(num_bins=3, salt=133) on 'A'..'E' == [[0], [0], [2], [1], [0]]
    expect(['A', 'B', 'C', 'D', 'E'].map((s) => sipHash24(bytes(s), 133n, 133n) % 3n)).toEqual([0n, 0n, 2n, 1n, 0n]);
  });
});
