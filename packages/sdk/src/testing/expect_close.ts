import { expect } from 'vitest';

/**
 * Fails unless `actual` has `expected`'s length and every value is within `tolerance` of the
 * expected one, relative where the expected value exceeds 1 in magnitude. Reports the worst index.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(error <= worst)) [worst, at] = [error, i];
  }
  expect(worst, `worst at index ${at}: ${actual[at]} against ${expected[at]}`).toBeLessThanOrEqual(tolerance);
}
