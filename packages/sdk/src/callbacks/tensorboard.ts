import { FILE_SCHEME } from '../io/handlers/file.js';
import { requireNode } from '../io/node_only.js';
import { Callback, type CallbackModel } from './callback.js';
import type { Logs } from './callbacks.js';
import { EventFileWriter } from './event_file.js';

/** Options of {@link TensorBoard}. */
export interface TensorBoardArgs {
  /**
   * `'epoch'` (the default) writes the losses and metrics at the end of each epoch; `'batch'`, or
   * a whole number n, writes the training batches' running values as well, after every batch or
   * every n batches (Keras' `update_freq`). Writing often slows training.
   */
  updateFreq?: 'epoch' | 'batch' | number;
  /**
   * Every this many epochs (Keras' `histogram_freq`), at the end of the epochs whose index is a
   * multiple of it (0, n, 2n, ...), writes a histogram of each weight of each of `model.layers`
   * to the `train` run, tagged `<weight name>/histogram` (`dense/kernel/histogram`) at step = the
   * epoch index, with TensorFlow's 30 buckets; TensorBoard shows them under Histograms and
   * Distributions. Where weights of two nested models share a name (each has a layer `head`), their
   * tags start with the nested model's name (`enc_a/head/kernel/histogram`), so each shows. 0 (the
   * default) writes none.
   */
  histogramFreq?: number;
}

const SUBJECT = 'km.callbacks.tensorBoard';

/** The two runs TensorBoard shows, as Keras names their folders. */
type Run = 'train' | 'validation';

/** Keys of a batch's logs that are no values to chart. */
const BATCH_COUNTS = new Set(['batch', 'size']);

/**
 * Writes the losses and metrics of `fit` to TensorBoard event files, as Keras' `TensorBoard` and
 * tfjs-node's `tf.node.tensorBoard(logdir)` do; Node only. Training values go to
 * `logDir/train`, validation values to `logDir/validation` (without their `val_` prefix, so both
 * runs share a chart), each in a file named `events.out.tfevents.<seconds>.<hostname>...`.
 * Tags and steps are Keras': `epoch_loss`, `epoch_accuracy`, `epoch_learning_rate` at step =
 * the epoch index (from 0); with `updateFreq`, `batch_loss` and so on at step = the number of
 * batches trained in this `fit` (from 1); each validation pass, and `evaluate` given this
 * callback, also writes `evaluation_loss_vs_iterations` (one per metric) at step = the optimizer's
 * update count. With `histogramFreq`, the weights' histograms go to the training run, tagged
 * `dense/kernel/histogram` at step = the epoch index. Each epoch's values are appended when it
 * ends, so a crash loses at most the epoch under way; each `fit` starts new files, the training
 * run's when it begins.
 *
 * @example
 * ```ts
 * await model.fit(x, y, { epochs: 20, validationSplit: 0.1, callbacks: [km.callbacks.tensorBoard('logs/run-1', { histogramFreq: 1 })] });
 * // then, in a shell: tensorboard --logdir logs
 * ```
 */
export class TensorBoard extends Callback {
  readonly logDir: string;
  /** `'epoch'`, or write batch values every this many batches (`'batch'` is 1). */
  readonly updateFreq: 'epoch' | number;
  /** Write the weights' histograms every this many epochs; 0: never. */
  readonly histogramFreq: number;
  #writers = new Map<Run, EventFileWriter>();
  /** Training batches seen in this `fit`, Keras' batch step. */
  #batches = 0;

  constructor(logDir: string = 'logs', args: TensorBoardArgs = {}) {
    super();
    if (typeof logDir !== 'string' || logDir === '' || logDir === FILE_SCHEME) {
      throw new Error(`${SUBJECT} needs logDir, the folder to write the event files in, e.g. km.callbacks.tensorBoard('logs/run-1'). Received: logDir=${quote(logDir)}.`);
    }
    requireNode(`${SUBJECT} ('${logDir}')`, 'In a browser, chart the values from an onEpochEnd callback instead.');
    const updateFreq = args.updateFreq ?? 'epoch';
    if (updateFreq !== 'epoch' && updateFreq !== 'batch' && !(Number.isInteger(updateFreq) && updateFreq >= 1)) {
      throw new Error(`${SUBJECT}: updateFreq must be 'epoch', 'batch' or a whole number of batches ≥ 1. Received: updateFreq=${quote(updateFreq)}.`);
    }
    const histogramFreq = args.histogramFreq ?? 0;
    if (!(Number.isInteger(histogramFreq) && histogramFreq >= 0)) {
      throw new Error(`${SUBJECT}: histogramFreq must be a whole number of epochs ≥ 0 (0, the default, writes no histograms; 1 writes them every epoch). Received: histogramFreq=${quote(histogramFreq)}.`);
    }
    this.histogramFreq = histogramFreq;
    this.logDir = logDir.startsWith(FILE_SCHEME) ? logDir.slice(FILE_SCHEME.length) : logDir;
    const every = updateFreq === 'batch' ? 1 : updateFreq;
    this.updateFreq = every;
    // Only batch-wise writing needs onTrainBatchEnd; without it fit makes no per-batch logs.
    if (every !== 'epoch') this.onTrainBatchEnd = (_batch: number, logs: Logs) => this.#afterBatch(logs, every);
  }

  /** @internal Called by `fit`, `evaluate` and `predict`: each call writes new files, as Keras' `set_model` starts new writers. */
  override setModel(model: CallbackModel): void {
    super.setModel(model);
    this.#writers.clear();
  }

  // The training run's file is made now, so a logDir that cannot hold it fails before any epoch trains.
  override async onTrainBegin(): Promise<void> {
    this.#batches = 0;
    await this.#writer('train');
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const train: Logs = {};
    const validation: Logs = {};
    for (const [name, value] of Object.entries(logs)) {
      if (name.startsWith('val_')) validation[name.slice(4)] = value;
      else train[name] = value;
    }
    // Keras charts the rate at each epoch's end, whichever callback (or schedule) sets it.
    const optimizer = this.model.optimizer;
    if (optimizer) train.learning_rate = optimizer.learningRate;
    await this.#write('train', 'epoch_', train, epoch);
    await this.#write('validation', 'epoch_', validation, epoch);
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) await this.#writeHistograms(epoch);
  }

  override async onTestEnd(logs?: Logs): Promise<void> {
    const optimizer = this.model.optimizer;
    // {} after a pass that threw.
    if (!logs || Object.keys(logs).length === 0 || !optimizer) return;
    const renamed = Object.fromEntries(Object.entries(logs).map(([name, value]) => [`evaluation_${name}_vs_iterations`, value]));
    await this.#write('validation', '', renamed, optimizer.iterations);
  }

  override async onTrainEnd(): Promise<void> {
    for (const writer of this.#writers.values()) await writer.flush();
    this.#writers.clear();
  }

  /** Keras counts batches over the whole `fit`; values are kept until the epoch's end writes them. */
  async #afterBatch(logs: Logs, every: number): Promise<void> {
    this.#batches++;
    if (this.#batches % every !== 0) return;
    const writer = await this.#writer('train');
    for (const [name, value] of Object.entries(logs)) if (!BATCH_COUNTS.has(name)) writer.scalar(`batch_${name}`, value, this.#batches);
  }

  /** Keras' `_log_weights`: layer by layer, each weight in `layer.weights` order, tagged as {@link histogramTags} says. */
  async #writeHistograms(epoch: number): Promise<void> {
    const writer = await this.#writer('train');
    const layers = this.model.layers;
    const tags = histogramTags(layers.map((layer) => ({ layer: layer.name, weights: layer.weights.map((w) => w.name) })));
    for (const [l, layer] of layers.entries()) {
      const values = layer.getWeights();
      for (let i = 0; i < values.length; i++) writer.histogram(tags[l]![i]!, await values[i]!.data(), epoch);
    }
    await writer.flush();
  }

  /** Writes `values` to `run`'s file as `prefix + name` at `step` and flushes it; no file is made for no values. */
  async #write(run: Run, prefix: string, values: Logs, step: number): Promise<void> {
    const entries = Object.entries(values);
    if (entries.length === 0) return;
    const writer = await this.#writer(run);
    for (const [name, value] of entries) writer.scalar(prefix + name, value, step);
    await writer.flush();
  }

  async #writer(run: Run): Promise<EventFileWriter> {
    let writer = this.#writers.get(run);
    if (!writer) {
      const { join } = await import('node:path');
      writer = await EventFileWriter.create(join(this.logDir, run), SUBJECT);
      this.#writers.set(run, writer);
    }
    return writer;
  }
}

/** A received value for an error message: strings quoted, numbers as written (NaN stays NaN). */
function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

/**
 * Each weight's histogram tag, `<weight name>/histogram` with ':' made '_' as Keras does. A tag two
 * weights would share (two nested models each holding a layer `head`) is prefixed with the name of
 * the nested model holding the weight (`enc_a/head/kernel/histogram`), since TensorBoard shows one
 * histogram per tag and step; a layer's own weight, already named after it, keeps its tag.
 */
function histogramTags(layers: readonly { layer: string; weights: readonly string[] }[]): string[][] {
  const plain = layers.map(({ weights }) => weights.map((w) => w.replaceAll(':', '_')));
  const counts = new Map<string, number>();
  for (const name of plain.flat()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return plain.map((names, l) => {
    const owner = layers[l]!.layer;
    return names.map((name) => `${counts.get(name)! > 1 && !name.startsWith(`${owner}/`) ? `${owner}/` : ''}${name}/histogram`);
  });
}
