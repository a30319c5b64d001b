import { divideNoNan, type Metric } from './metric.js';
import { evenlySpacedThresholds, ThresholdCounts } from './threshold_counts.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link auc}. */
export interface AucArgs {
  /** Thresholds the curve is sampled at (default 200, as Keras). */
  numThresholds?: number;
  /** `'ROC'` (default) or `'PR'` (precision-recall). */
  curve?: 'ROC' | 'PR';
  name?: string;
}

/** Area under the ROC curve by the trapezoid rule over the thresholds. */
function rocArea(tp: Float64Array, fp: Float64Array, tn: Float64Array, fn: Float64Array): number {
  let area = 0;
  for (let i = 0; i + 1 < tp.length; i++) {
    const x0 = divideNoNan(fp[i], fp[i] + tn[i]);
    const x1 = divideNoNan(fp[i + 1], fp[i + 1] + tn[i + 1]);
    const y0 = divideNoNan(tp[i], tp[i] + fn[i]);
    const y1 = divideNoNan(tp[i + 1], tp[i + 1] + fn[i + 1]);
    area += (x0 - x1) * (y0 + y1) / 2;
  }
  return area;
}

/**
 * Area under the PR curve with Davis & Goadrich's interpolation (as Keras does): between two
 * thresholds TP and P = TP + FP vary linearly, so precision is integrated in closed form.
 */
function prArea(tp: Float64Array, fp: Float64Array, fn: Float64Array): number {
  let area = 0;
  for (let i = 0; i + 1 < tp.length; i++) {
    const pA = tp[i] + fp[i];
    const pB = tp[i + 1] + fp[i + 1];
    const dtp = tp[i] - tp[i + 1];
    const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
    const intercept = tp[i + 1] - slope * pB;
    const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
    area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1] + fn[i + 1], 0));
  }
  return area;
}

/**
 * Area under the ROC or PR curve, accumulated over the epoch as Keras does: confusion counts at
 * `numThresholds` evenly spaced thresholds, summed by interpolation. Every output element is one
 * prediction against its 0/1 target; outputs are clipped to [0, 1] first, as Keras does, so a
 * linear or logit output's curve still runs from (1, 1) to (0, 0).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['auc', km.metrics.auc({ curve: 'PR', name: 'pr_auc' })] });
 * ```
 */
export function auc(args: AucArgs = {}): Metric {
  checkOptions(args, optionNames<AucArgs>({ numThresholds: true, curve: true, name: true }), 'km.metrics.auc');
  const n = args.numThresholds ?? 200;
  if (!Number.isInteger(n) || n < 2) throw new Error(`auc: numThresholds must be an integer > 1. Received: numThresholds=${n}.`);
  const curve = args.curve ?? 'ROC';
  if (curve !== 'ROC' && curve !== 'PR') throw new Error(`auc: curve must be 'ROC' or 'PR'. Received: curve=${String(curve)}.`);
  // Keras' AUC widens its end thresholds by ε, so that outputs of exactly 0 or 1 fall inside them.
  const counts = new ThresholdCounts(args.name ?? 'auc', n, evenlySpacedThresholds(n, true));
  return {
    name: counts.name,
    // Keras' AUC config for its one form here: one curve over every output element, by interpolation.
    savedAs: { className: 'AUC', config: { name: counts.name, numThresholds: n, curve, summationMethod: 'interpolation', multiLabel: false, fromLogits: false } },
    reset: () => counts.reset(),
    update: (b) => counts.update(b),
    result: () => (curve === 'ROC' ? rocArea(counts.tp, counts.fp, counts.tn, counts.fn) : prArea(counts.tp, counts.fp, counts.fn)),
  };
}
