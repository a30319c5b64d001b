import { expect } from 'vitest';

/** Random draws stay inside [lo, hi] and reach within 2 % of both ends, so the range is neither exceeded nor narrowed. */
export function expectFillsRange(samples: readonly number[], lo: number, hi: number): void {
  expect(Math.min(...samples)).toBeGreaterThanOrEqual(lo);
  expect(Math.max(...samples)).toBeLessThanOrEqual(hi);
  expect(Math.min(...samples)).toBeLessThan(lo + 0.02 * (hi - lo));
  expect(Math.max(...samples)).toBeGreaterThan(hi - 0.02 * (hi - lo));
}
