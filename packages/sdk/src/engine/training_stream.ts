import type { Dataset } from '../data/dataset.js';
import { firstBatch } from './fit_dataset_batch.js';

/**
 * Where `fit(dataset)` reads from at the start of an epoch: the passes each reshuffling `shuffle`
 * had begun when the stream was opened, and how many batches had been read from it since.
 */
export interface StreamPosition {
  shuffleIterations: number[];
  batchesRead: number;
}

/** The passes each reshuffling `shuffle` of `dataset` has begun, in its order. */
export function shufflePasses(dataset: Dataset<unknown>): number[] {
  return dataset.shuffleCounters.map((c) => c.iteration);
}

/** Sets the passes of `dataset`'s reshuffling shuffles, unless it has another number of them. */
export function setShufflePasses(dataset: Dataset<unknown>, passes: readonly number[]): void {
  const counters = dataset.shuffleCounters;
  if (passes.length === counters.length) passes.forEach((pass, i) => (counters[i].iteration = pass));
}

/**
 * The training batches of `fit(dataset)`: a fresh pass over the dataset each epoch, or, with
 * `batchesPerEpoch` (`acrossEpochs`), one stream read on from epoch to epoch. It can be moved to a
 * backed-up run's position, so that a resumed run reads what the uninterrupted one would have.
 */
export class TrainingStream {
  readonly #dataset: Dataset<unknown>;
  readonly #acrossEpochs: boolean;
  #iterator: AsyncIterator<unknown>;
  #pending: IteratorResult<unknown> | null = null;
  #openedWith: number[];
  #read = 0;
  #needsOpen = false;

  constructor(dataset: Dataset<unknown>, acrossEpochs: boolean) {
    this.#dataset = dataset;
    this.#acrossEpochs = acrossEpochs;
    this.#openedWith = shufflePasses(this.#dataset);
    this.#iterator = dataset.iterator();
  }

  /** Reads the first batch (to build the model from), which the first epoch then trains on. */
  async first(what: string): Promise<unknown> {
    this.#pending = await firstBatch(this.#iterator, what);
    return this.#pending.value;
  }

  /** Where the next epoch starts reading: before {@link startEpoch}, or after {@link endEpoch}. */
  get position(): StreamPosition {
    return this.#needsOpen ? { shuffleIterations: shufflePasses(this.#dataset), batchesRead: 0 } : { shuffleIterations: this.#openedWith, batchesRead: this.#read };
  }

  startEpoch(): void {
    if (this.#needsOpen) this.#open();
  }

  endEpoch(): void {
    if (!this.#acrossEpochs) this.#needsOpen = true;
  }

  async next(): Promise<IteratorResult<unknown>> {
    const next = this.#pending ?? (await this.#iterator.next());
    this.#pending = null;
    if (!next.done) this.#read++;
    return next;
  }

  /**
   * Reads from `position` on: the shuffles are set back to its passes (unless the dataset has
   * another number of them) and the batches read before it are read again and dropped.
   */
  async seek(position: StreamPosition): Promise<void> {
    await this.#iterator.return?.();
    setShufflePasses(this.#dataset, position.shuffleIterations);
    this.#open();
    for (let i = 0; i < position.batchesRead; i++) if ((await this.next()).done) break;
  }

  #open(): void {
    this.#openedWith = shufflePasses(this.#dataset);
    this.#iterator = this.#dataset.iterator();
    this.#pending = null;
    this.#read = 0;
    this.#needsOpen = false;
  }
}
