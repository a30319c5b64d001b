import { classesOf, float32Threshold, positionsOf, weightAt, type Metric, type MetricBatch } from './metric.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link f1Score}. */
export interface F1ScoreArgs {
  /**
   * How the classes' scores combine: `'macro'` (default: the plain mean of the per-class scores),
   * `'micro'` (one score from the counts summed over classes) or `'weighted'` (per-class scores
   * weighted by each class's true count). Keras' `null` (one score per class, Keras' default) is
   * refused: logs and History hold one number per metric.
   */
  average?: 'micro' | 'macro' | 'weighted';
  /**
   * An output counts as a predicted positive when it is > threshold (compared in float32, as Keras), in (0, 1]; without one, each
   * position's highest output is its predicted class (Keras' `threshold=None`).
   */
  threshold?: number;
  name?: string;
}

/** Options of {@link fBetaScore}. */
export interface FBetaScoreArgs extends F1ScoreArgs {
  /** Weight of recall against precision (default 1: the F1 score). */
  beta?: number;
}

// Keras' backend epsilon, added to each denominator as Keras does.
const EPSILON = 1e-7;
const AVERAGES = ['micro', 'macro', 'weighted'];

function checkArgs(call: string, args: FBetaScoreArgs): void {
  if (args.average === null) {
    throw new Error(`${call}: average null (one score per class) is not supported: logs and History hold one number per metric. Received: average=null. Use 'macro', 'micro' or 'weighted'; km.metrics.confusionMatrix gives per-class counts.`);
  }
  if (args.average !== undefined && !AVERAGES.includes(args.average)) throw new Error(`${call}: average must be 'micro', 'macro' or 'weighted'. Received: average=${JSON.stringify(args.average)}.`);
  if (args.beta !== undefined && !(args.beta > 0 && Number.isFinite(args.beta))) throw new Error(`${call}: beta must be a number > 0. Received: beta=${args.beta}.`);
  if (args.threshold !== undefined && !(args.threshold > 0 && args.threshold <= 1)) throw new Error(`${call}: threshold must verify 0 < threshold <= 1. Received: threshold=${args.threshold}.`);
}

/** The 0/1 truth of class j at position r: from an integer label, or the target row (which must hold 0s and 1s). */
function truthAt(name: string, b: MetricBatch, r: number, j: number, cols: number): number {
  if (b.labelTargets) return b.hostTargets[r] === j ? 1 : 0;
  const t = b.hostTargets[r * cols + j];
  if (t !== 0 && t !== 1) {
    throw new Error(`Metric '${name}' counts 0/1 targets (one-hot or multi-label rows), but received the target value ${t} at position ${r}, column ${j}. It scores classifiers; for a regressor use 'r2Score' or 'meanAbsoluteError'.`);
  }
  return t;
}

/**
 * The F-beta score (1 + β²)·P·R / (β²·P + R) over the epoch, from true positives, false positives and
 * false negatives counted per class across batches, as Keras 3's FBetaScore. Targets are one-hot or
 * multi-label 0/1 rows, or integer labels (each one a one-hot row); each position of a
 * `[steps, classes]` output counts once, masked positions not at all.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [km.metrics.fBetaScore({ beta: 2, threshold: 0.5, average: 'micro' })] });
 * ```
 */
export function fBetaScore(args: FBetaScoreArgs = {}): Metric {
  checkOptions(args, optionNames<FBetaScoreArgs>({ average: true, beta: true, threshold: true, name: true }), 'km.metrics.fBetaScore');
  checkArgs('fBetaScore', args);
  const metric = fScore(args.name ?? 'fbeta_score', args.beta ?? 1, args);
  return { ...metric, savedAs: { className: 'FBetaScore', config: { ...savedOptions(metric.name, args), beta: args.beta ?? 1 } } };
}

/**
 * The F1 score 2·P·R / (P + R) over the epoch (Keras 3's F1Score; see {@link fBetaScore}).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'f1_score'] });
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [km.metrics.f1Score({ threshold: 0.5, average: 'micro' })] });
 * ```
 */
export function f1Score(args: F1ScoreArgs = {}): Metric {
  checkOptions(args, optionNames<F1ScoreArgs>({ average: true, threshold: true, name: true }), 'km.metrics.f1Score');
  checkArgs('f1Score', args);
  const metric = fScore(args.name ?? 'f1_score', 1, args);
  return { ...metric, savedAs: { className: 'F1Score', config: savedOptions(metric.name, args) } };
}

/** The options a saved F-score is rebuilt from (a missing threshold stays missing: the argmax). */
function savedOptions(name: string, args: F1ScoreArgs): Record<string, string | number> {
  return { name, average: args.average ?? 'macro', ...(args.threshold === undefined ? {} : { threshold: args.threshold }) };
}

function fScore(name: string, beta: number, args: F1ScoreArgs): Metric {
  const average = args.average ?? 'macro';
  const threshold = args.threshold === undefined ? undefined : float32Threshold(args.threshold);
  let tp = new Float64Array(0);
  let fp = new Float64Array(0);
  let fn = new Float64Array(0);
  let support = new Float64Array(0);
  const score = (tpj: number, fpj: number, fnj: number): number => {
    const precision = tpj / (tpj + fpj + EPSILON);
    const recall = tpj / (tpj + fnj + EPSILON);
    return ((1 + beta * beta) * precision * recall) / (beta * beta * precision + recall + EPSILON);
  };
  return {
    name,
    reset() {
      tp = fp = fn = support = new Float64Array(0);
    },
    async update(b) {
      const cols = classesOf(b);
      if (cols === 1 && threshold === undefined) {
        throw new Error(`Metric '${name}' without a threshold predicts each position's highest output, but the output has a single column, so every prediction would be positive. Give a threshold for a sigmoid output, e.g. km.metrics.f1Score({ threshold: 0.5 }).`);
      }
      const [p, weights] = await Promise.all([b.hostOutputs(), b.hostWeights()]);
      if (tp.length !== cols) [tp, fp, fn, support] = [new Float64Array(cols), new Float64Array(cols), new Float64Array(cols), new Float64Array(cols)];
      const rows = b.batch * positionsOf(b);
      for (let r = 0; r < rows; r++) {
        const w = weightAt(weights, r);
        if (w === 0) continue;
        let top = -Infinity;
        if (threshold === undefined) for (let j = 0; j < cols; j++) top = Math.max(top, p[r * cols + j]);
        for (let j = 0; j < cols; j++) {
          const v = p[r * cols + j];
          // Without a threshold every output equal to the row's maximum is predicted, except zeros (Keras: |p| > 1e-9).
          const predicted = threshold === undefined ? v >= top && Math.abs(v) > 1e-9 : v > threshold;
          const truth = truthAt(name, b, r, j, cols);
          if (predicted && truth) tp[j] += w;
          else if (predicted) fp[j] += w;
          else if (truth) fn[j] += w;
          support[j] += w * truth;
        }
      }
    },
    result() {
      if (tp.length === 0) return 0;
      if (average === 'micro') return score(tp.reduce((a, v) => a + v, 0), fp.reduce((a, v) => a + v, 0), fn.reduce((a, v) => a + v, 0));
      let mean = 0;
      let weighted = 0;
      let totalSupport = 0;
      for (let j = 0; j < tp.length; j++) {
        const s = score(tp[j], fp[j], fn[j]);
        mean += s / tp.length;
        weighted += s * support[j];
        totalSupport += support[j];
      }
      return average === 'macro' ? mean : weighted / (totalSupport + EPSILON);
    },
  };
}
