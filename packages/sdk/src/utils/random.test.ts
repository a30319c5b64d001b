import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const r1 = new Random(42);
    const r2 = new Random(42);
    const seq1 = Array.from({ length: 100 }, () => r1.next());
    expect(Array.from({ length: 100 }, () => r2.next())).toEqual(seq1);
    expect(seq1).not.toEqual(Array.from({ length: 100 }, () => new Random(43).next()));
    expect(seq1.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('draws uniformly: mean and variance of 100k samples', () => {
    const r = new Random(9);
    const xs = Array.from({ length: 100_000 }, () => r.next());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
  });

  it('shuffles into a permutation', () => {
    const v = Int32Array.from({ length: 1000 }, (_, i) => i);
    new Random(3).shuffle(v);
    expect(Array.from(v).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(v.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
