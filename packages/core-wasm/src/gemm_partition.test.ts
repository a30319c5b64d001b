import { describe, expect, it } from 'vitest';
import { MIN_FLOPS_PER_THREAD, partitionGemm } from './gemm_partition.js';

describe('partitionGemm', () => {
  it('covers the split dimension with contiguous, tile-aligned parts', () => {
    for (const [m, n, k] of [[784, 64, 64], [64, 785, 64], [65, 3, 9000], [1024, 1024, 1024], [13, 100, 5000]]) {
      for (const threads of [1, 2, 3, 4, 7, 16]) {
        const { byRows, parts } = partitionGemm(m, n, k, threads);
        expect(byRows).toBe(m >= n);
        const length = byRows ? m : n;
        expect(parts[0].start).toBe(0);
        expect(parts[parts.length - 1].end).toBe(length);
        expect(parts.length).toBeLessThanOrEqual(threads);
        for (let i = 0; i < parts.length; i++) {
          expect(parts[i].end).toBeGreaterThan(parts[i].start);
          if (i > 0) expect(parts[i].start).toBe(parts[i - 1].end);
          if (i < parts.length - 1) expect(parts[i].end % (byRows ? 4 : 8)).toBe(0);
        }
      }
    }
  });

  it('keeps small products on one thread', () => {
    expect(partitionGemm(64, 10, 64, 8).parts).toHaveLength(1);
    const k = Math.floor(MIN_FLOPS_PER_THREAD / (2 * 64 * 64)) * 2;
    expect(partitionGemm(64, 64, k, 8).parts.length).toBeLessThanOrEqual(2);
    expect(partitionGemm(64, 64, 784, 2).parts).toEqual([{ start: 0, end: 32 }, { start: 32, end: 64 }]);
  });

  it('never splits finer than one register tile', () => {
    expect(partitionGemm(6, 1, 1_000_000, 16).parts).toEqual([{ start: 0, end: 4 }, { start: 4, end: 6 }]);
  });
});
