import type { Backend, BufferId } from '../backend/backend.js';

/** The most axes, batch included, that `backend.transpose` takes. */
export const MAX_TRANSPOSE_RANK = 5;

/**
 * A reordering of a buffer's axes as one `backend.transpose`, over as few axes as it allows: axes of
 * size 1 are dropped and axes that stay next to each other move as one. One axis may be the batch,
 * whose size is known only per pass.
 */
export class AxisPermutation {
  /** Whether the buffer's layout does not change, so no copy is needed. */
  readonly identity: boolean;
  /** How many axes the transpose sees; at most {@link MAX_TRANSPOSE_RANK} for `apply`. */
  readonly rank: number;
  readonly #sizes: readonly number[];
  readonly #perm: readonly number[];
  readonly #batchAxis: number;
  /** The merged axes' sizes in source order, and which holds the batch (-1: none). */
  readonly #runSizes: number[];
  readonly #batchRun: number;
  readonly #runPerm: number[];

  /** `sizes` are the source's axes (the batch's a placeholder); target axis k is source axis `perm[k]`. */
  constructor(sizes: readonly number[], perm: readonly number[], batchAxis = -1) {
    this.#sizes = sizes;
    this.#perm = perm;
    this.#batchAxis = batchAxis;
    const kept = perm.filter((a) => a === batchAxis || sizes[a] !== 1);
    const order = [...kept].sort((a, b) => a - b);
    // Runs of target positions whose axes follow each other in the source.
    const runs: number[][] = [];
    for (const t of kept.map((a) => order.indexOf(a))) {
      const last = runs[runs.length - 1];
      if (last && t === last[last.length - 1] + 1) last.push(t);
      else runs.push([t]);
    }
    const bySource = [...runs].sort((a, b) => a[0] - b[0]);
    this.#runSizes = bySource.map((run) => run.reduce((product, t) => product * (order[t] === batchAxis ? 1 : sizes[order[t]]), 1));
    this.#batchRun = bySource.findIndex((run) => run.some((t) => order[t] === batchAxis));
    this.#runPerm = runs.map((run) => bySource.indexOf(run));
    this.rank = runs.length;
    this.identity = runs.length <= 1;
  }

  /** The permutation that undoes this one. */
  inverse(): AxisPermutation {
    const inverse = this.#perm.map((_, a) => this.#perm.indexOf(a));
    return new AxisPermutation(this.#perm.map((a) => this.#sizes[a]), inverse, this.#perm.indexOf(this.#batchAxis));
  }

  /** y = x with its axes reordered, for a pass over `batch` samples (1 for a buffer without the batch axis). */
  apply(backend: Backend, x: BufferId, y: BufferId, batch: number): void {
    const dims = this.#runSizes.map((size, i) => (i === this.#batchRun ? size * batch : size));
    if (this.identity) backend.copy(x, y, dims.reduce((a, b) => a * b, 1));
    else backend.transpose(x, y, dims, this.#runPerm);
  }
}

/** The permutation that takes axes labelled `from` to the order `to` (the same labels): target axis k is source axis perm[k]. */
export function permutationBetween(from: readonly string[], to: readonly string[]): number[] {
  return to.map((label) => from.indexOf(label));
}
