import { divideNoNan, type Metric } from './metric.js';
import { evenlySpacedThresholds, singleThreshold, ThresholdCounts } from './threshold_counts.js';
import { checkOptions } from '../utils/options.js';

/** Options every metric read off the confusion curve takes. */
export interface CurveMetricArgs {
  /** Thresholds the curve is sampled at, evenly spaced over [0, 1] (default 200, as Keras; 1 samples 0.5 only). */
  numThresholds?: number;
  /** Only this output column counts (one class of a multi-label output); default every column. */
  classId?: number;
  name?: string;
}

/** Options of {@link precisionAtRecall}. */
export interface PrecisionAtRecallArgs extends CurveMetricArgs {
  /** The recall, in [0, 1], that the precision is read at. */
  recall: number;
}

/** Options of {@link recallAtPrecision}. */
export interface RecallAtPrecisionArgs extends CurveMetricArgs {
  /** The precision, in [0, 1], that the recall is read at. */
  precision: number;
}

/** Options of {@link sensitivityAtSpecificity}. */
export interface SensitivityAtSpecificityArgs extends CurveMetricArgs {
  /** The specificity, in [0, 1], that the sensitivity is read at. */
  specificity: number;
}

/** Options of {@link specificityAtSensitivity}. */
export interface SpecificityAtSensitivityArgs extends CurveMetricArgs {
  /** The sensitivity, in [0, 1], that the specificity is read at. */
  sensitivity: number;
}

type Rate = (c: ThresholdCounts, k: number) => number;
const truePositiveRate: Rate = (c, k) => divideNoNan(c.tp[k], c.tp[k] + c.fn[k]);
const trueNegativeRate: Rate = (c, k) => divideNoNan(c.tn[k], c.tn[k] + c.fp[k]);
const positivePredictiveValue: Rate = (c, k) => divideNoNan(c.tp[k], c.tp[k] + c.fp[k]);

/** One of Keras' SensitivitySpecificityBase metrics: the best `dependent` rate among the thresholds where `constrained` reaches the option's value. */
interface CurveMetricSpec {
  readonly call: string;
  readonly className: string;
  readonly defaultName: string;
  /** The option that holds the constraint's value (`recall` of precisionAtRecall). */
  readonly option: string;
  readonly constrained: Rate;
  readonly dependent: Rate;
}

function curveMetric(spec: CurveMetricSpec, args: CurveMetricArgs): Metric {
  const { call, option } = spec;
  checkOptions(args, [option, 'numThresholds', 'classId', 'name'], `km.metrics.${call}`);
  const value = (args as CurveMetricArgs & Record<string, unknown>)[option];
  if (value === undefined) throw new Error(`${call}: ${option} is required: the ${option} in [0, 1] that the metric is read at, e.g. km.metrics.${call}({ ${option}: 0.8 }).`);
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`${call}: ${option} must be in [0, 1]. Received: ${option}=${JSON.stringify(value)}.`);
  const n = args.numThresholds ?? 200;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${call}: numThresholds must be an integer > 0. Received: numThresholds=${n}.`);
  const { classId } = args;
  if (classId !== undefined && !(Number.isInteger(classId) && classId >= 0)) throw new Error(`${call}: classId must be an output column index, an integer >= 0. Received: classId=${classId}.`);
  const name = args.name ?? spec.defaultName;
  // Keras: one threshold is 0.5, compared as it is; n ≥ 2 are evenly spaced, so outputs are clipped to [0, 1].
  const counts = new ThresholdCounts(name, n, n === 1 ? singleThreshold(0.5) : evenlySpacedThresholds(n, false), classId);
  return {
    name,
    savedAs: { className: spec.className, config: { name, numThresholds: n, classId: classId ?? null, [option]: value } },
    reset: () => counts.reset(),
    update: (b) => counts.update(b),
    result() {
      // Keras: the largest dependent rate over the feasible thresholds, 0 when none is feasible.
      let best = 0;
      for (let k = 0; k < n; k++) if (spec.constrained(counts, k) >= value) best = Math.max(best, spec.dependent(counts, k));
      return best;
    },
  };
}

/**
 * The best precision at a recall of at least `recall` over the epoch (Keras 3's PrecisionAtRecall):
 * confusion counts at `numThresholds` evenly spaced thresholds, as {@link auc} keeps them (outputs
 * clipped to [0, 1] first), and the highest precision among the thresholds whose recall reaches the
 * value (0 if none does).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [km.metrics.precisionAtRecall({ recall: 0.9 })] });
 * ```
 */
export function precisionAtRecall(args: PrecisionAtRecallArgs): Metric {
  return curveMetric({ call: 'precisionAtRecall', className: 'PrecisionAtRecall', defaultName: 'precision_at_recall', option: 'recall', constrained: truePositiveRate, dependent: positivePredictiveValue }, args);
}

/**
 * The best recall at a precision of at least `precision` over the epoch (Keras 3's RecallAtPrecision;
 * see {@link precisionAtRecall}).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [km.metrics.recallAtPrecision({ precision: 0.8, classId: 2 })] });
 * ```
 */
export function recallAtPrecision(args: RecallAtPrecisionArgs): Metric {
  return curveMetric({ call: 'recallAtPrecision', className: 'RecallAtPrecision', defaultName: 'recall_at_precision', option: 'precision', constrained: positivePredictiveValue, dependent: truePositiveRate }, args);
}

/**
 * The best sensitivity (true positive rate) at a specificity (true negative rate) of at least
 * `specificity` over the epoch (Keras 3's SensitivityAtSpecificity; see {@link precisionAtRecall}).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [km.metrics.sensitivityAtSpecificity({ specificity: 0.95 })] });
 * ```
 */
export function sensitivityAtSpecificity(args: SensitivityAtSpecificityArgs): Metric {
  return curveMetric({ call: 'sensitivityAtSpecificity', className: 'SensitivityAtSpecificity', defaultName: 'sensitivity_at_specificity', option: 'specificity', constrained: trueNegativeRate, dependent: truePositiveRate }, args);
}

/**
 * The best specificity at a sensitivity of at least `sensitivity` over the epoch (Keras 3's
 * SpecificityAtSensitivity; see {@link precisionAtRecall}).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [km.metrics.specificityAtSensitivity({ sensitivity: 0.9, numThresholds: 500 })] });
 * ```
 */
export function specificityAtSensitivity(args: SpecificityAtSensitivityArgs): Metric {
  return curveMetric({ call: 'specificityAtSensitivity', className: 'SpecificityAtSensitivity', defaultName: 'specificity_at_sensitivity', option: 'sensitivity', constrained: truePositiveRate, dependent: trueNegativeRate }, args);
}
