import type { Backend, BufferId } from '../backend/backend.js';

/**
 * Scratch for {@link bucketize} and {@link mapValues}: four runs of `n` floats in one workspace
 * (a constant, a maximum, the values still unmatched, and one comparison's 0/1 indicator).
 */
export const MATCHING_SCRATCH = 4;

function scratch(b: Backend, workspace: BufferId, n: number): [BufferId, BufferId, BufferId, BufferId] {
  return [b.view(workspace, 0, n), b.view(workspace, n, n), b.view(workspace, 2 * n, n), b.view(workspace, 3 * n, n)];
}

// Both composites are built from existing kernels so that they run unchanged on every backend:
// routeToFirstMatch(x, y, pending, dx) is the elementwise test x == y (dx = pending where equal,
// then pending = 0 there), and max(x, b) == x is x >= b. They cost a few kernels per boundary or
// vocabulary entry, which suits the small vocabularies and bin counts of numeric features.

/** out[i] = how many of the ascending `boundaries` are ≤ x[i]: tf.raw_ops.Bucketize's bin index. */
export function bucketize(b: Backend, x: BufferId, out: BufferId, boundaries: readonly number[], n: number, workspace: BufferId): void {
  const [constant, maximum, pending, indicator] = scratch(b, workspace, n);
  b.fill(out, n, 0);
  for (const boundary of boundaries) {
    b.fill(constant, n, boundary);
    b.minMax(true, x, constant, maximum, n);
    b.fill(pending, n, 1);
    b.routeToFirstMatch(x, maximum, pending, indicator, n);
    b.add(out, indicator, out, n);
  }
}

/**
 * out[i] = the `to` of the first pair whose `from` equals x[i], or `otherwise` when none does: a
 * lookup table over whole numbers.
 */
export function mapValues(b: Backend, x: BufferId, out: BufferId, pairs: readonly (readonly [number, number])[], otherwise: number, n: number, workspace: BufferId): void {
  const [constant, , pending, indicator] = scratch(b, workspace, n);
  b.fill(out, n, 0);
  b.fill(pending, n, 1);
  for (const [from, to] of pairs) {
    b.fill(constant, n, from);
    b.routeToFirstMatch(x, constant, pending, indicator, n);
    if (to === 0) continue;
    b.scale(indicator, n, to);
    b.add(out, indicator, out, n);
  }
  if (otherwise === 0) return;
  b.scale(pending, n, otherwise);
  b.add(out, pending, out, n);
}
