import { classesOf, positionsOf, weightAt, type Metric } from './metric.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link r2Score}. */
export interface R2ScoreArgs {
  /**
   * How the scores of the output columns (targets) combine, as Keras' `class_aggregation`:
   * `'uniform_average'` (default) or `'variance_weighted_average'` (weighted by each column's
   * variance of the targets). Keras' `null` (one score per column) is refused: logs hold one number.
   */
  classAggregation?: 'uniform_average' | 'variance_weighted_average';
  /** Independent regressors p for the adjusted R² 1 − (1 − R²)(n − 1)/(n − p − 1) (default 0: plain R²). */
  numRegressors?: number;
  name?: string;
}

const AGGREGATIONS = ['uniform_average', 'variance_weighted_average'];

/**
 * The coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)² of each output column over the whole
 * epoch (sums kept across batches, as Keras 3's R2Score, not a mean of per-batch scores), then
 * combined over the columns. As in Keras, a column whose targets do not vary scores 0, and the
 * adjusted score's n counts every target value (samples × columns, those of zero-weight or masked
 * samples too); with p ≥ n − 1 it falls back to the plain score.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['r2_score', km.metrics.r2Score({ numRegressors: 3, name: 'adjusted_r2' })] });
 * ```
 */
export function r2Score(args: R2ScoreArgs = {}): Metric {
  checkOptions(args, optionNames<R2ScoreArgs>({ classAggregation: true, numRegressors: true, name: true }), 'km.metrics.r2Score');
  const aggregation = args.classAggregation === undefined ? 'uniform_average' : args.classAggregation;
  if (aggregation === null) {
    throw new Error("r2Score: classAggregation null (one score per output column) is not supported: logs and History hold one number per metric. Received: classAggregation=null. Use 'uniform_average' or 'variance_weighted_average', or one r2Score per output of a multi-output model.");
  }
  if (!AGGREGATIONS.includes(aggregation)) throw new Error(`r2Score: classAggregation must be 'uniform_average' or 'variance_weighted_average'. Received: classAggregation=${JSON.stringify(aggregation)}.`);
  const regressors = args.numRegressors ?? 0;
  if (!Number.isInteger(regressors) || regressors < 0) throw new Error(`r2Score: numRegressors must be an integer >= 0. Received: numRegressors=${regressors}.`);
  const name = args.name ?? 'r2_score';
  let sum = new Float64Array(0);
  let squaredSum = new Float64Array(0);
  let residual = new Float64Array(0);
  let count = 0;
  let values = 0;
  return {
    name,
    savedAs: { className: 'R2Score', config: { name, classAggregation: aggregation, numRegressors: regressors } },
    reset() {
      sum = squaredSum = residual = new Float64Array(0);
      count = values = 0;
    },
    async update(b) {
      if (b.labelTargets) {
        throw new Error(`Metric '${name}' scores real-valued predictions against targets shaped like the output, but the compiled loss takes integer class labels. R² is for regression: compile with a regression loss such as 'meanSquaredError' and real-valued targets.`);
      }
      const [p, weights] = await Promise.all([b.hostOutputs(), b.hostWeights()]);
      const cols = classesOf(b);
      if (sum.length !== cols) [sum, squaredSum, residual] = [new Float64Array(cols), new Float64Array(cols), new Float64Array(cols)];
      const rows = b.batch * positionsOf(b);
      // Keras adds size(y_true) to the adjusted score's n whatever the weights, zero-weight rows included.
      values += rows * cols;
      // Keras' weighted sums (R2Score with sample_weight): each row's terms times its weight.
      for (let r = 0; r < rows; r++) {
        const w = weightAt(weights, r);
        if (w === 0) continue;
        count += w;
        for (let j = 0; j < cols; j++) {
          const t = b.hostTargets[r * cols + j];
          const d = t - p[r * cols + j];
          sum[j] += w * t;
          squaredSum[j] += w * t * t;
          residual[j] += w * d * d;
        }
      }
    },
    result() {
      if (count === 0) return 0;
      let scoreSum = 0;
      let weighted = 0;
      let totalSum = 0;
      for (let j = 0; j < sum.length; j++) {
        const total = squaredSum[j] - (sum[j] * sum[j]) / count;
        let score = 1 - residual[j] / total;
        if (score === Infinity || score === -Infinity) score = 0;
        scoreSum += score;
        weighted += total * score;
        totalSum += total;
      }
      const r2 = aggregation === 'uniform_average' ? scoreSum / sum.length : weighted / totalSum;
      if (regressors === 0 || regressors >= values - 1) return r2;
      return 1 - ((1 - r2) * (values - 1)) / (values - regressors - 1);
    },
  };
}
