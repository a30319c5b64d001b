// The compiled metrics' running state for computeMetrics (Keras 3's compute_metrics) inside a
// model's own trainStep or testStep: as in Keras, the metrics are reset at the start of each epoch
// and each test pass, each call updates them, and what a step logs under their keys is their
// result so far, read once every count of the step is in.
import type { Metric } from '../metrics/metric.js';

/**
 * One epoch, test pass or on-batch call of a model's own step: the metrics computeMetrics updates
 * start from zero at its first call, and the step loop reads the keys each step was given.
 */
export class RunningMetrics {
  #fresh = true;
  /** The metrics computeMetrics updated during the current step, by the key it gave each under. */
  readonly #given = new Map<string, Metric>();
  #pending: Promise<void>[] = [];

  constructor(readonly model: object) {}

  /** Runs `step` (synchronous, as steps are) as the model's step whose computeMetrics calls this run counts. */
  during<T>(step: () => T): T {
    this.#given.clear();
    this.#pending = [];
    const outer = current;
    current = this;
    try {
      return step();
    } finally {
      current = outer;
    }
  }

  /** Whether the metrics must be reset before this call counts: true at the run's first. */
  takeFresh(): boolean {
    const fresh = this.#fresh;
    this.#fresh = false;
    return fresh;
  }

  /** Records `metric`, updated under `key`; `pending` where its count is still being read (host-counted metrics, asynchronous backends). */
  updated(key: string, metric: Metric, pending: void | Promise<void>): void {
    this.#given.set(key, metric);
    if (pending) {
      // Handled here so that a step that throws after it leaves no unhandled rejection; results() still rethrows it.
      pending.catch(() => {});
      this.#pending.push(pending);
    }
  }

  /** The current step's computeMetrics keys with their metrics' results so far, once every count is in; synchronous where none is pending. */
  results(): ReadonlyMap<string, number> | Promise<ReadonlyMap<string, number>> {
    const read = () => new Map([...this.#given].map(([key, metric]) => [key, metric.result()]));
    return this.#pending.length === 0 ? read() : Promise.all(this.#pending).then(read);
  }
}

let current: RunningMetrics | null = null;

/** The run of `model`'s step now running, or null outside one (computeMetrics called on its own, or on another model). */
export function runningFor(model: object): RunningMetrics | null {
  return current?.model === model ? current : null;
}
