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

  it.each([0.3, 1, 4])('draws Gamma(%s): mean alpha and variance alpha of 50k samples', (alpha) => {
    const r = new Random(11);
    const xs = Array.from({ length: 50_000 }, () => r.gamma(alpha));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(xs.every((x) => x > 0)).toBe(true);
    expect(Math.abs(mean - alpha) / alpha).toBeLessThan(0.03);
    expect(Math.abs(variance - alpha) / alpha).toBeLessThan(0.06);
  });

  it('draws Beta(a, b): mean a/(a + b) and variance ab/((a + b)²(a + b + 1)) of 50k samples', () => {
    const r = new Random(12);
    const [a, b] = [2, 0.5];
    const xs = Array.from({ length: 50_000 }, () => r.beta(a, b));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(mean).toBeCloseTo(a / (a + b), 2);
    expect(Math.abs(variance - (a * b) / ((a + b) ** 2 * (a + b + 1))) / variance).toBeLessThan(0.05);
  });

  it('shuffles into a permutation', () => {
    const v = Int32Array.from({ length: 1000 }, (_, i) => i);
    new Random(3).shuffle(v);
    expect(Array.from(v).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(v.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
