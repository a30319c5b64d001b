import { classesOf, divideNoNan, float32Threshold, positionsOf, weightAt, type Metric, type MetricBatch, type SavedMetricForm } from './metric.js';
import { checkOptions, optionNames } from '../utils/options.js';

// Metrics that need more than a count: they read the batch's outputs back once (shared by all of
// them) and keep their counts on the host.

/** The class at a position (a sample, or one step or pixel of it): its label, or the argmax of its target row. */
function trueClass(b: MetricBatch, position: number, classes: number): number {
  if (b.labelTargets) return b.hostTargets[position];
  let best = 0;
  for (let j = 1; j < classes; j++) if (b.hostTargets[position * classes + j] > b.hostTargets[position * classes + best]) best = j;
  return best;
}

/**
 * Whether the true class is among the `k` highest outputs. Like tf.math.in_top_k, classes tied
 * with the true class's score do not push it out.
 */
export function topKCategoricalAccuracy(k = 5, name?: string, className: 'TopKCategoricalAccuracy' | 'SparseTopKCategoricalAccuracy' = 'TopKCategoricalAccuracy'): Metric {
  if (!Number.isInteger(k) || k < 1) throw new Error(`topKCategoricalAccuracy: k must be a positive integer. Received: k=${k}.`);
  const defaultName = className === 'TopKCategoricalAccuracy' ? 'top_k_categorical_accuracy' : 'sparse_top_k_categorical_accuracy';
  const logName = name ?? defaultName;
  let hits = 0;
  let count = 0;
  return {
    name: logName,
    // The defaults save by name, which tfjs-layers also reads.
    savedAs: k === 5 && logName === defaultName ? undefined : { className, config: { name: logName, k } },
    reset() {
      hits = 0;
      count = 0;
    },
    async update(b) {
      const [p, weights] = await Promise.all([b.hostOutputs(), b.hostWeights()]);
      const classes = classesOf(b);
      const rows = b.batch * positionsOf(b);
      for (let i = 0; i < rows; i++) {
        const w = weightAt(weights, i);
        if (w === 0) continue;
        count += w;
        const score = p[i * classes + trueClass(b, i, classes)];
        let above = 0;
        for (let j = 0; j < classes; j++) if (p[i * classes + j] > score) above++;
        if (above < k) hits += w;
      }
    },
    result: () => divideNoNan(hits, count),
  };
}

/** Options of {@link precision} and {@link recall}. */
export interface ThresholdMetricArgs {
  /** An output counts as positive when it is > threshold (default 0.5). */
  thresholds?: number;
  /** Only this output column counts (one class of a multi-label output). */
  classId?: number;
  name?: string;
}

/** The weighted confusion counts of `p > threshold` (in float32), a target counting as positive when non-zero (Keras casts it to bool). */
function confusionCounts(args: ThresholdMetricArgs) {
  const threshold = args.thresholds ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`thresholds must be in [0, 1]. Received: thresholds=${threshold}.`);
  const above = float32Threshold(threshold);
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  return {
    counts,
    reset() {
      counts.tp = counts.fp = counts.tn = counts.fn = 0;
    },
    async update(b: MetricBatch) {
      if (b.labelTargets) {
        throw new Error('Precision, recall, AUC and the confusion counts compare each output with a 0/1 target of the same shape, but the loss takes integer labels. Use binary targets (e.g. binaryCrossentropy), or one-hot rows with classId.');
      }
      const [p, weights] = await Promise.all([b.hostOutputs(), b.hostWeights()]);
      const cols = classesOf(b);
      if (args.classId !== undefined && !(Number.isInteger(args.classId) && args.classId >= 0 && args.classId < cols)) {
        throw new Error(`classId must be an output column in [0, ${cols - 1}]. Received: classId=${args.classId}.`);
      }
      for (let i = 0; i < p.length; i++) {
        if (args.classId !== undefined && i % cols !== args.classId) continue;
        const w = weightAt(weights, Math.floor(i / cols));
        const positive = p[i] > above;
        const truth = b.hostTargets[i] !== 0;
        if (positive && truth) counts.tp += w;
        else if (positive) counts.fp += w;
        else if (truth) counts.fn += w;
        else counts.tn += w;
      }
    },
  };
}

/**
 * Keras' Precision or Recall config (`top_k` None: kerasm has no top-k form of them); none at the
 * defaults, which save by name, the form tfjs-layers also reads.
 */
function thresholdMetricForm(className: string, name: string, args: ThresholdMetricArgs): SavedMetricForm | undefined {
  if ((args.thresholds ?? 0.5) === 0.5 && args.classId === undefined && name === className.toLowerCase()) return undefined;
  return { className, config: { name, thresholds: args.thresholds ?? 0.5, topK: null, classId: args.classId ?? null } };
}

const THRESHOLD_METRIC_OPTIONS = optionNames<ThresholdMetricArgs>({ thresholds: true, classId: true, name: true });

/** TP / (TP + FP) over the epoch. @example `metrics: [km.metrics.precision({ thresholds: 0.7 })]` */
export function precision(args: ThresholdMetricArgs = {}): Metric {
  checkOptions(args, THRESHOLD_METRIC_OPTIONS, 'km.metrics.precision');
  const c = confusionCounts(args);
  const name = args.name ?? 'precision';
  return { name, savedAs: thresholdMetricForm('Precision', name, args), reset: c.reset, update: c.update, result: () => divideNoNan(c.counts.tp, c.counts.tp + c.counts.fp) };
}

/** TP / (TP + FN) over the epoch. @example `metrics: [km.metrics.recall()]` */
export function recall(args: ThresholdMetricArgs = {}): Metric {
  checkOptions(args, THRESHOLD_METRIC_OPTIONS, 'km.metrics.recall');
  const c = confusionCounts(args);
  const name = args.name ?? 'recall';
  return { name, savedAs: thresholdMetricForm('Recall', name, args), reset: c.reset, update: c.update, result: () => divideNoNan(c.counts.tp, c.counts.tp + c.counts.fn) };
}

/** Keras' TruePositives, FalsePositives, TrueNegatives and FalseNegatives, and the count each reports. */
const CONFUSION_COUNTS = {
  TruePositives: 'tp',
  FalsePositives: 'fp',
  TrueNegatives: 'tn',
  FalseNegatives: 'fn',
} as const;

/** Keras' class name of a confusion-count metric. */
export type ConfusionCountClass = keyof typeof CONFUSION_COUNTS;

/** The snake_case name Keras logs a class under ('TruePositives' → 'true_positives'). */
const snakeName = (className: string) => className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** One of the weighted confusion counts over the epoch: outputs above the threshold against non-zero targets. */
export function confusionCount(className: ConfusionCountClass, args: Omit<ThresholdMetricArgs, 'classId'> = {}): Metric {
  checkOptions(args, optionNames<Omit<ThresholdMetricArgs, 'classId'>>({ thresholds: true, name: true }), `km.metrics.${className.charAt(0).toLowerCase()}${className.slice(1)}`);
  const c = confusionCounts(args);
  const name = args.name ?? snakeName(className);
  const savedAs = (args.thresholds ?? 0.5) === 0.5 && name === snakeName(className) ? undefined : { className, config: { name, thresholds: args.thresholds ?? 0.5 } };
  return { name, savedAs, reset: c.reset, update: c.update, result: () => c.counts[CONFUSION_COUNTS[className]] };
}
