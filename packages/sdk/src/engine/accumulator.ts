import type { Scalar } from '../backend/backend.js';
import type { Logs } from '../callbacks/callbacks.js';
import { metricLogNames, outputLossLogs, outputMetricNames } from './metric_names.js';
import type { OutputSpec } from './outputs.js';

/**
 * Accumulates the loss over batches, weighted by samples, and resets and updates the stateful
 * metrics. With several outputs it also keeps each output's loss, logged as `<output>_loss` (see
 * {@link outputLossLogs}), and prefixes metrics with their output's name, as Keras does.
 */
export class Accumulator {
  #loss = 0;
  #outputLosses: number[];
  #samples = 0;
  /** Each output's metrics, then its weighted ones, with the keys they log under. */
  readonly #metricLogs: { key: string; result(): number }[];

  constructor(readonly outputs: readonly OutputSpec[]) {
    this.#outputLosses = outputs.map(() => 0);
    const names = metricLogNames(outputMetricNames(outputs));
    this.#metricLogs = [
      ...outputs.flatMap((o, k) => o.metrics.map((m, i) => ({ key: names.metrics[k][i], result: () => m.result() }))),
      ...outputs.flatMap((o, k) => o.weightedMetrics.map((m, i) => ({ key: names.weighted[k][i], result: () => m.result() }))),
    ];
    for (const o of outputs) for (const m of [...o.metrics, ...o.weightedMetrics]) m.reset();
  }

  /**
   * Adds one batch. `penalty` is the regularization part of the total. Synchronous when every value
   * is (the wasm backend, device-counted metrics); otherwise a promise that awaits the values GPU
   * backends read back asynchronously and the metrics that read outputs to the host.
   */
  add(outputLossSums: readonly Scalar[], penalty: Scalar, samples: number, metricUpdates: readonly (void | Promise<void>)[]): void | Promise<void> {
    if (typeof penalty !== 'number' || outputLossSums.some((s) => typeof s !== 'number') || metricUpdates.some((u) => u !== undefined)) {
      return this.#addAsync(outputLossSums, penalty, samples, metricUpdates);
    }
    for (let k = 0; k < this.outputs.length; k++) this.#addLoss(k, outputLossSums[k] as number);
    this.#loss += penalty;
    this.#samples += samples;
  }

  async #addAsync(outputLossSums: readonly Scalar[], penalty: Scalar, samples: number, metricUpdates: readonly (void | Promise<void>)[]): Promise<void> {
    for (let k = 0; k < this.outputs.length; k++) this.#addLoss(k, await outputLossSums[k]);
    this.#loss += await penalty;
    this.#samples += samples;
    await Promise.all(metricUpdates);
  }

  #addLoss(k: number, sum: number): void {
    this.#outputLosses[k] += sum;
    this.#loss += this.outputs[k].weight * sum;
  }

  /** The loss, each output's loss when there are several, and the metrics so far (a validation pass's get `val_` from `validationLogs`). */
  logs(): Logs {
    const logs: Logs = { loss: this.#loss / this.#samples };
    for (const [k, key] of outputLossLogs(this.outputs)) logs[key] = this.#outputLosses[k] / this.#samples;
    for (const { key, result } of this.#metricLogs) logs[key] = result();
    return logs;
  }
}
