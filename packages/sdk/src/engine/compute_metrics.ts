// Keras 3's `model.compute_metrics(x, y, y_pred, sample_weight)` for a km.Model's own trainStep or
// testStep: the compiled metrics count the batch with their own code (the kernels and host counts
// fit and evaluate use) and give their results so far (see running_metrics.ts).
import type { Backend, BufferId, Scalar } from '../backend/backend.js';
import { backend as activeBackend } from '../backend/registry.js';
import { positions } from '../losses/targets.js';
import { MeanMetric, type Metric, type MetricBatch } from '../metrics/metric.js';
import { checkNoLossTargets, noLossTargets } from '../metrics/no_loss_targets.js';
import { hostValues } from '../ops/operand.js';
import { outsideScopes } from '../tensor_scopes.js';
import { metricLogNames, outputMetricNames } from './metric_names.js';
import type { OutputSpec } from './outputs.js';
import { lossTargets } from './prepare_data.js';
import type { RunningMetrics } from './running_metrics.js';
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

/** Why computeMetrics, called outside a step fit or evaluate runs, cannot give `key`: its count is read asynchronously. */
function asyncRefusal(where: string, b: Backend, metric: Metric, key: string): Error {
  const fromStep = "Return the metrics from trainStep or testStep ({ loss, ...this.computeMetrics(y, yPred) }), whose logs fit, evaluate, trainOnBatch and testOnBatch fill in once the counts are read";
  if (metric instanceof MeanMetric) {
    return new Error(`${where} reads metric '${key}' back synchronously, which backend '${b.name}' cannot: it gives the metric's values asynchronously. ${fromStep}, or run this model on the wasm backend (await km.setBackend('wasm')).`);
  }
  return new Error(`${where} cannot give metric '${key}' outside a step: it counts on the host once the batch's values are read, asynchronously. ${fromStep}.`);
}

/**
 * The compiled metrics' results, keyed as fit's logs name them (`accuracy`, `<output>_accuracy`
 * with several outputs, `weighted_<name>`), after counting one batch between targets `y` and
 * predictions `yPred` (one tensor, a list in output order or an object keyed by output name),
 * weighted metrics weighing each sample by `sampleWeight` when given. Inside a step of `run` the
 * metrics keep counting from the run's start (Keras' running result), and a metric whose count is
 * still being read gives NaN until the step loop reads its result; outside one (`run` null) they
 * count this batch alone, and such a metric is refused. `where` names the call in errors.
 */
export function compiledMetricsOf(where: string, outputs: readonly OutputSpec[], y: unknown, yPred: unknown, sampleWeight: unknown, run: RunningMetrics | null): Record<string, number> {
  const measured = outputs.map((o) => o.metrics.length > 0 || o.weightedMetrics.length > 0);
  const keys = metricLogNames(outputMetricNames(outputs));
  const read = outputs.flatMap((_, k) => (measured[k] ? [k] : []));
  const { preds, ys, batch, targetLabels } = stepOutputs(where, outputs, y, yPred, read, outputs.map((o, k) => o.loss === null && measured[k]), "the step's data[1]");
  const weighted = outputs.some((o) => o.weightedMetrics.length > 0);
  const given = sampleWeight === undefined || !weighted ? undefined : stepWeights(where, outputs, ys, batch, sampleWeight);
  const b = activeBackend();
  const logs: Record<string, number> = {};
  const owned: BufferId[] = [];
  const pending: Promise<void>[] = [];
  if (run?.takeFresh() ?? true) for (const k of read) for (const m of [...outputs[k].metrics, ...outputs[k].weightedMetrics]) m.reset();
  const count = (m: Metric, key: string, metricBatch: MetricBatch) => {
    // As in fit: a count still being read (a metric of tensors) keeps the tensors it made past the step's end.
    const update = outsideScopes(() => m.update(metricBatch));
    if (update && !run) {
      update.catch(() => {});
      throw asyncRefusal(where, b, m, key);
    }
    if (update) pending.push(update);
    run?.updated(key, m, update);
    logs[key] = update ? NaN : m.result();
  };
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
      o.metrics.forEach((m, j) => count(m, keys.metrics[k][j], unweighted));
      if (o.weightedMetrics.length === 0) return;
      const weights = given && positionWeightsOf(b, o, batch, given, owned);
      const withWeights = weights ? new TensorMetricBatch(b, o, batch, outputValues, hostTargets, weights.id, weights.values, owned) : unweighted;
      o.weightedMetrics.forEach((m, j) => count(m, keys.weighted[k][j], withWeights));
    });
  } finally {
    // A count still being read may read the batch's buffers until it is in.
    const free = () => owned.forEach((id) => b.free(id));
    if (pending.length === 0) free();
    else void Promise.allSettled(pending).then(free);
  }
  return logs;
}

/** The sample weights `given` spread over output `o`'s positions, unnormalized, as fit's weighted metrics count with (see metricWeights), and their values. */
function positionWeightsOf(b: Backend, o: OutputSpec, batch: number, given: StepWeights, owned: BufferId[]): { id: BufferId; values: Float32Array } {
  const id = positionWeightsOn(b, o, batch, given, false, owned);
  return { id, values: (b.read(id, batch * positions(o.shape), 'float32') as Float32Array).slice() };
}
