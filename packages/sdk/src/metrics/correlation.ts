import { MeanMetric, classesOf, positionsOf, weightAt, type Metric, type MetricBatch } from './metric.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link pearsonCorrelation} and {@link concordanceCorrelation}. */
export interface CorrelationArgs {
  /** The axis each correlation is taken along: only -1 (default), each output row against its target row. */
  axis?: number;
  name?: string;
}

// Keras' backend epsilon, added to each denominator as Keras does.
const EPSILON = 1e-7;

/** A correlation of the `n` targets `t` and outputs `p` from `start`. */
type Correlation = (t: ArrayLike<number>, p: ArrayLike<number>, start: number, n: number) => number;

function mean(values: ArrayLike<number>, start: number, n: number, f: (v: number) => number = (v) => v): number {
  let sum = 0;
  for (let i = start; i < start + n; i++) sum += f(values[i]);
  return sum / n;
}

/** Keras' pearson_correlation: mean of the standardized products, each standard deviation (population) plus ε. */
const pearson: Correlation = (t, p, start, n) => {
  const [mt, mp] = [mean(t, start, n), mean(p, start, n)];
  const st = Math.sqrt(mean(t, start, n, (v) => (v - mt) ** 2)) + EPSILON;
  const sp = Math.sqrt(mean(p, start, n, (v) => (v - mp) ** 2)) + EPSILON;
  let sum = 0;
  for (let i = start; i < start + n; i++) sum += ((t[i] - mt) / st) * ((p[i] - mp) / sp);
  return sum / n;
};

/** Keras' concordance_correlation: 2·cov / (var t + var p + (mean t − mean p)² + ε), population moments. */
const concordance: Correlation = (t, p, start, n) => {
  const [mt, mp] = [mean(t, start, n), mean(p, start, n)];
  const vt = mean(t, start, n, (v) => (v - mt) ** 2);
  const vp = mean(p, start, n, (v) => (v - mp) ** 2);
  let covariance = 0;
  for (let i = start; i < start + n; i++) covariance += (t[i] - mt) * (p[i] - mp);
  return (2 * covariance) / n / (vt + vp + (mt - mp) ** 2 + EPSILON);
};

/** Keras' MeanMetricWrapper of a correlation: the mean over the epoch of each position's correlation along the last axis. */
function correlationMetric(call: string, className: string, defaultName: string, correlation: Correlation, args: CorrelationArgs): Metric {
  checkOptions(args, optionNames<CorrelationArgs>({ axis: true, name: true }), `km.metrics.${call}`);
  if (args.axis !== undefined && args.axis !== -1) {
    throw new Error(`${call}: axis must be -1: each output row is correlated with its target row along the last axis. Received: axis=${JSON.stringify(args.axis)}.`);
  }
  const name = args.name ?? defaultName;
  const sumAndCount = async (b: MetricBatch): Promise<[number, number]> => {
    const [p, weights] = await Promise.all([b.hostOutputs(), b.hostWeights()]);
    const cols = classesOf(b);
    const rows = b.batch * positionsOf(b);
    let sum = 0;
    let count = 0;
    for (let r = 0; r < rows; r++) {
      const w = weightAt(weights, r);
      if (w === 0) continue;
      sum += w * correlation(b.hostTargets, p, r * cols, cols);
      count += w;
    }
    return [sum, count];
  };
  return new MeanMetric(name, (b) => {
    if (b.labelTargets) {
      throw new Error(`Metric '${name}' correlates each output row with a real-valued target row, but the compiled loss takes integer class labels. Compile with a regression loss such as 'meanSquaredError' and targets shaped like the output.`);
    }
    const batchSums = sumAndCount(b);
    return [batchSums.then(([sum]) => sum), batchSums.then(([, count]) => count)];
  }, undefined, { className, config: { name, axis: -1 } });
}

/**
 * Pearson's correlation of each output row with its target row, averaged over the epoch's samples
 * (and the positions of a `[steps, features]` output, masked ones left out), as Keras 3.6's
 * PearsonCorrelation. Compile also takes `'pearson_correlation'`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['pearson_correlation', km.metrics.pearsonCorrelation({ name: 'pcc' })] });
 * ```
 */
export function pearsonCorrelation(args: CorrelationArgs = {}): Metric {
  return correlationMetric('pearsonCorrelation', 'PearsonCorrelation', 'pearson_correlation', pearson, args);
}

/**
 * Lin's concordance correlation of each output row with its target row, averaged over the epoch's
 * samples, as Keras 3.6's ConcordanceCorrelation (see {@link pearsonCorrelation}): 1 only when
 * outputs equal targets, where Pearson's is 1 for any positive linear relation. Compile also takes
 * `'concordance_correlation'`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: [km.metrics.concordanceCorrelation()] });
 * ```
 */
export function concordanceCorrelation(args: CorrelationArgs = {}): Metric {
  return correlationMetric('concordanceCorrelation', 'ConcordanceCorrelation', 'concordance_correlation', concordance, args);
}
