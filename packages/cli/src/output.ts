import type { BackupResume } from './backup_resume.js';
import type { Prediction } from './predictions.js';

/**
 * One epoch as `--json` reports it: `epoch` (1-based, as the progress bar shows it), every value
 * the epoch's logs carry (the loss, each compiled metric, their `val_` forms), and `seconds`, the
 * epoch's wall time.
 */
export type EpochRecord = { epoch: number; loss: number; seconds: number } & Record<string, number>;

/** The record of epoch `epoch` (0-based, as callbacks get it) from its logs. */
export function toEpochRecord(epoch: number, logs: Readonly<Record<string, unknown>>, seconds: number): EpochRecord {
  const values = Object.entries(logs).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
  return { epoch: epoch + 1, ...Object.fromEntries(values), seconds } as EpochRecord;
}

/** An evaluation: the loss, then each metric `compile` named (`accuracy`, `mae`, ...). */
export type TestResult = { readonly loss: number } & Readonly<Record<string, number>>;

/** `evaluate`'s values under `model.metricsNames`: the loss, then each metric `compile` named. */
export function namedResults(metricsNames: readonly string[], values: readonly number[]): TestResult {
  return Object.fromEntries(metricsNames.map((name, i) => [name, values[i]])) as TestResult;
}

/** What a training run measured, before formatting. */
export interface TrainReport {
  epochs: EpochRecord[];
  /** The loss, then each compiled metric by name, on the held-out data. */
  test: TestResult;
  /** Samples the model trained on per epoch (the training set minus any validation split). */
  trainSamples: number;
  /** The kernel set that ran, e.g. `wasm-relaxed-simd`. */
  backend: string;
  /** Threads the kernels ran on (1 for tfjs backends). */
  threads?: number;
  /** For `--config`: the data `test` was measured on. */
  evaluatedOn?: 'test' | 'validation' | 'train';
  /** The `--backup-dir` backup the run resumed from, if it found one. */
  resumedFrom?: BackupResume;
}

/**
 * Training throughput. With two or more epochs the first is left out: it pays for warm-up
 * (kernel compilation, buffer allocation), so the rest show the steady state.
 */
export function samplesPerSecond(epochs: readonly EpochRecord[], trainSamples: number): number {
  const counted = epochs.length >= 2 ? epochs.slice(1) : epochs;
  const seconds = counted.reduce((sum, e) => sum + e.seconds, 0);
  return seconds > 0 ? (trainSamples * counted.length) / seconds : 0;
}

/** The `--json` document: one object on one line, without a trailing newline. */
export function formatJsonReport(report: TrainReport): string {
  return JSON.stringify({
    epochs: report.epochs.map((e) => ({ ...e, seconds: round(e.seconds, 3) })),
    test: { ...report.test },
    // No epoch trained (a backup that already held the run): nothing was measured.
    samplesPerSecond: report.epochs.length === 0 ? null : Math.round(samplesPerSecond(report.epochs, report.trainSamples)),
    backend: report.backend,
    ...(report.threads !== undefined ? { threads: report.threads } : {}),
    ...(report.evaluatedOn !== undefined ? { evaluatedOn: report.evaluatedOn } : {}),
    ...(report.resumedFrom !== undefined ? { resumedFrom: report.resumedFrom } : {}),
  });
}

/** `Test loss: 0.0871  Test accuracy: 0.9741`, one entry per metric. */
export function formatTestResult(test: TestResult): string {
  return Object.entries(test)
    .map(([name, value]) => `Test ${name}: ${value.toFixed(4)}`)
    .join('  ');
}

/** What the header line before training describes. */
export interface TrainingSetup {
  units: number;
  classes: number;
  trainSamples: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The optimizer's name as `--optimizer` takes it, e.g. 'adam'. */
  optimizer: string;
  /** The learning-rate schedule's name, if any, and whether it spans the whole run. */
  lrSchedule?: { name: string; overRun?: true };
  backend: string;
  /** Describes the network instead of the reference MLP (for `--model cnn` and `--model resnet`). */
  description?: string;
}

/** `Training Flatten -> Dense(64, relu) -> Dense(10, softmax) on 60,000 MNIST images (5 epochs, batch 64, adam 0.001, wasm-simd)` */
export function formatTrainingHeader(setup: TrainingSetup): string {
  const model = setup.description ?? `Flatten -> Dense(${setup.units}, relu) -> Dense(${setup.classes}, softmax)`;
  const epochs = `${setup.epochs} ${setup.epochs === 1 ? 'epoch' : 'epochs'}`;
  const schedule = setup.lrSchedule ? ` with ${setup.lrSchedule.name}${setup.lrSchedule.overRun ? ' over the run' : ''}` : '';
  return `Training ${model} on ${setup.trainSamples.toLocaleString('en-US')} MNIST images (${epochs}, batch ${setup.batchSize}, ${setup.optimizer} ${setup.learningRate}${schedule}, ${setup.backend})`;
}

/** `Trained 5 epochs in 12.3 s (48,213 samples/s, wasm-relaxed-simd)` */
export function formatTrainingSummary(report: Omit<TrainReport, 'test'>): string {
  const total = report.epochs.reduce((sum, e) => sum + e.seconds, 0);
  const rate = Math.round(samplesPerSecond(report.epochs, report.trainSamples));
  const noun = report.epochs.length === 1 ? 'epoch' : 'epochs';
  return `Trained ${report.epochs.length} ${noun} in ${total.toFixed(1)} s (${rate.toLocaleString('en-US')} samples/s, ${report.backend}${report.threads && report.threads > 1 ? `, ${report.threads} threads` : ''})`;
}

/**
 * A small table of predicted against true labels, with `noun` naming what was predicted:
 * ```
 * image  predicted  true     confidence
 *     0          7     7  ✓       99.8%
 * ```
 */
export function formatPredictionTable(predictions: readonly Prediction[], noun: 'image' | 'row' = 'image'): string {
  const width = Math.max(noun.length, String(predictions.length - 1).length);
  const header = `${noun.padStart(width)}  predicted  true     confidence`;
  const rows = predictions.map((p) =>
    [
      String(p.index).padStart(width),
      String(p.predicted).padStart(9),
      String(p.actual).padStart(4),
      p.predicted === p.actual ? '✓' : '✗',
      `${(p.confidence * 100).toFixed(1)}%`.padStart(10),
    ].join('  '),
  );
  return [header, ...rows].join('\n');
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
