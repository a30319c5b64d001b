import { Random } from '../utils/random.js';

/**
 * The batches `fit(x, y)` trains on, numbered from the start of training: pass after pass over the
 * samples, `batchSize` at a time (a pass ends with its partial batch), each pass in its own order.
 * Without `stepsPerEpoch` an epoch is one pass; with it epochs read on through this sequence, so
 * epoch e begins at batch e × stepsPerEpoch, where an uninterrupted run would be.
 */
export class SamplePasses {
  /** Batches in one pass over the samples. */
  readonly batchesPerPass: number;
  readonly #order: Int32Array;
  readonly #unshuffled: Int32Array;
  readonly #batchSize: number;
  readonly #seed: number | undefined;
  #pass = -1;

  /**
   * `order` is the sample indices that each batch reads a slice of; it is reordered in place at
   * the start of each pass, from (`seed`, pass), when `seed` is given, and left as it is when not.
   */
  constructor(order: Int32Array, batchSize: number, seed: number | undefined) {
    this.#order = order;
    this.#unshuffled = order.slice();
    this.#batchSize = batchSize;
    this.#seed = seed;
    this.batchesPerPass = Math.ceil(order.length / batchSize);
  }

  /** Readies batch `index` of the sequence and returns where it lies in `order`: `count` samples from `start`. */
  batch(index: number): { start: number; count: number } {
    const pass = Math.floor(index / this.batchesPerPass);
    if (pass !== this.#pass && this.#seed !== undefined) {
      // Pass p's order depends only on (seed, p), so a run resumed at any epoch reads what the uninterrupted one did.
      this.#order.set(this.#unshuffled);
      new Random(epochSeed(this.#seed, pass)).shuffle(this.#order);
    }
    this.#pass = pass;
    const start = (index % this.batchesPerPass) * this.#batchSize;
    return { start, count: Math.min(this.#batchSize, this.#order.length - start) };
  }
}

/** Mixes a run's shuffle seed with an epoch (or pass) index into an independent 32-bit seed (murmur3's finalizer). */
export function epochSeed(seed: number, epoch: number): number {
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
