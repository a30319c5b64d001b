// Keras 3's `model.compute_metrics(x, y, y_pred, sample_weight)` for a km.Model's own trainStep or
// testStep: the compiled metrics' values on one batch, computed by the metrics' own code (the
// kernels evaluate counts with), without touching the epoch's state those metrics keep for fit.
import type { Backend, BufferId, Scalar } from '../backend/backend.js';
import { backend as activeBackend } from '../backend/registry.js';
import { positions } from '../losses/targets.js';
import { MeanMetric, type Metric, type MetricBatch } from '../metrics/metric.js';
import { checkNoLossTargets, noLossTargets } from '../metrics/no_loss_targets.js';
import { hostValues } from '../ops/operand.js';
import { metricLogNames, outputMetricNames } from './metric_names.js';
import type { OutputSpec } from './outputs.js';
import { lossTargets } from './prepare_data.js';
import { positionWeightsOn, stepOutputs, stepWeights, type StepWeights } from './step_outputs.js';

/** One output's batch as its metrics see it, from the step's tensors copied to the backend. */
class TensorMetricBatch implements MetricBatch {
  readonly outputShape: readonly number[];
  readonly labelTargets: boolean;
  readonly output: BufferId;
  readonly targets: BufferId;
  readonly #predictions: Float32Array;

  constructor(
    readonly backend: Backend,
    o: OutputSpec,
    readonly batch: number,
    predictions: Float32Array,
    readonly hostTargets: Float32Array | Int32Array,
    readonly weights: BufferId,
    private readonly hostWeightValues: Float32Array | null,
    private readonly owned: BufferId[],
  ) {
    this.outputShape = o.shape;
    // An output without a loss takes targets shaped like it (see noLossTargets).
    this.labelTargets = o.loss?.sparseTargets ?? false;
    this.output = this.#buffer(predictions);
    this.targets = this.#buffer(hostTargets);
    this.#predictions = predictions;
  }

  #buffer(values: Float32Array | Int32Array): BufferId {
    const id = this.backend.alloc(values.length, values instanceof Int32Array ? 'int32' : 'float32');
    this.owned.push(id);
    this.backend.write(id, values);
    return id;
  }

  weightSum(): Scalar {
    const n = this.batch * positions(this.outputShape);
    return this.hostWeightValues ? this.hostWeightValues.reduce((sum, w) => sum + w, 0) : n;
  }

  hostWeights(): Promise<Float32Array> | null {
    return this.hostWeightValues && Promise.resolve(this.hostWeightValues);
  }

  hostOutputs(): Promise<Float32Array> {
    return Promise.resolve(this.#predictions);
  }
}

/**
 * Throws for a compiled metric whose epoch value is not the mean of its batches' values weighted
 * by their samples, which is how fit averages what a step logs.
 */
function checkBatchMean(where: string, metric: Metric, key: string): asserts metric is MeanMetric {
  if (metric instanceof MeanMetric && metric.averagesBatches) return;
  throw new Error(
    `${where} cannot give metric '${key}' for one batch: its epoch value is not the mean of its batches' values (it counts over the whole epoch, as auc, precision, recall or rmse do), ` +
      "and fit averages what a step logs over the batches. Compile the model without it and let a model that defines only testStep (or none) report it, or compute it from the step's tensors with km ops.",
  );
}

/** A metric's batch value read synchronously, as a step's values are; throws naming the backend otherwise. */
function syncValue(where: string, b: Backend, key: string, [value, count]: [Scalar, Scalar]): number {
  if (typeof value !== 'number' || typeof count !== 'number') {
    throw new Error(`${where} reads metric '${key}' back synchronously, which backend '${b.name}' cannot: it gives the metric's values asynchronously. ` +
      "Run this model on the wasm backend (await km.setBackend('wasm')), or compute the metric with km ops in the step, which run on every backend.");
  }
  return count === 0 ? 0 : value / count;
}

/**
 * The compiled metrics' values on one batch, keyed as fit's logs name them (`accuracy`,
 * `<output>_accuracy` with several outputs, `weighted_<name>`): each metric's mean over the batch
 * between targets `y` and predictions `yPred` (one tensor, a list in output order or an object keyed
 * by output name), weighted metrics weighing each sample by `sampleWeight` when given.
 * `where` names the call in errors.
 */
export function compiledMetricsOf(where: string, outputs: readonly OutputSpec[], y: unknown, yPred: unknown, sampleWeight: unknown): Record<string, number> {
  const measured = outputs.map((o) => o.metrics.length > 0 || o.weightedMetrics.length > 0);
  const keys = metricLogNames(outputMetricNames(outputs));
  outputs.forEach((o, k) => {
    o.metrics.forEach((m, i) => checkBatchMean(where, m, keys.metrics[k][i]));
    o.weightedMetrics.forEach((m, i) => checkBatchMean(where, m, keys.weighted[k][i]));
  });
  const read = outputs.flatMap((_, k) => (measured[k] ? [k] : []));
  const { preds, ys, batch, targetLabels } = stepOutputs(where, outputs, y, yPred, read, outputs.map((o, k) => o.loss === null && measured[k]), "the step's data[1]");
  const weighted = outputs.some((o) => o.weightedMetrics.length > 0);
  const given = sampleWeight === undefined || !weighted ? undefined : stepWeights(where, outputs, ys, batch, sampleWeight);
  const b = activeBackend();
  const logs: Record<string, number> = {};
  const owned: BufferId[] = [];
  try {
    read.forEach((k, i) => {
      const o = outputs[k];
      const y = ys[k]!;
      let hostTargets: Float32Array | Int32Array;
      if (o.loss) {
        o.loss.validateTargets(y, o.shape);
        hostTargets = lossTargets(o.loss, y, o.shape, batch);
      } else {
        checkNoLossTargets(y, o, targetLabels[k]);
        hostTargets = noLossTargets(y, o);
      }
      const outputValues = hostValues(where, preds[i]);
      const unweighted = new TensorMetricBatch(b, o, batch, outputValues, hostTargets, 0, null, owned);
      o.metrics.forEach((m, j) => (logs[keys.metrics[k][j]] = syncValue(where, b, keys.metrics[k][j], (m as MeanMetric).batchSums(unweighted))));
      if (o.weightedMetrics.length === 0) return;
      const weights = given && positionWeightsOf(b, o, batch, given, owned);
      const withWeights = weights ? new TensorMetricBatch(b, o, batch, outputValues, hostTargets, weights.id, weights.values, owned) : unweighted;
      o.weightedMetrics.forEach((m, j) => (logs[keys.weighted[k][j]] = syncValue(where, b, keys.weighted[k][j], (m as MeanMetric).batchSums(withWeights))));
    });
  } finally {
    for (const id of owned) b.free(id);
  }
  return logs;
}

/** The sample weights `given` spread over output `o`'s positions, unnormalized, as fit's weighted metrics count with (see metricWeights), and their values. */
function positionWeightsOf(b: Backend, o: OutputSpec, batch: number, given: StepWeights, owned: BufferId[]): { id: BufferId; values: Float32Array } {
  const id = positionWeightsOn(b, o, batch, given, false, owned);
  return { id, values: (b.read(id, batch * positions(o.shape), 'float32') as Float32Array).slice() };
}
