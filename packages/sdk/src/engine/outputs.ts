import type { Shape } from '../layers/layer.js';
import { getLoss, type Loss, type LossName } from '../losses/losses.js';
import { checkMetricName, getMetric, isMetricObject, type Metric, type MetricName } from '../metrics/metrics.js';
import type { MetricObject } from '../metrics/tensor_metric.js';
import { isTfjsTensor, Tensor } from '../tensor.js';
import { describeNonTensor, isNumberArray } from './foreign_values.js';
import type { Graph } from './graph.js';

/** One loss for every output, a list in output order, or an object keyed by output name (see `model.outputNames`). */
export type LossSpec = LossName | string | Loss | readonly (LossName | string | Loss)[] | Readonly<Record<string, LossName | string | Loss>>;
/** A list applied to every output, or an object keyed by output name (see `model.outputNames`). */
export type MetricsSpec = readonly (MetricName | string | MetricObject)[] | Readonly<Record<string, readonly (MetricName | string | MetricObject)[]>>;

/** What compile takes for metrics: a {@link MetricsSpec}, or as in tfjs one metric, and one per output in an object. */
export type MetricsArg = MetricsSpec | MetricName | string | MetricObject | Readonly<Record<string, MetricName | string | MetricObject | readonly (MetricName | string | MetricObject)[]>>;
/** Scalar weights of the output losses in the total loss: a list in output order or an object keyed by output name. */
export type LossWeightsSpec = readonly number[] | Readonly<Record<string, number>>;
/** Data for the model's inputs (or targets for its outputs): one tensor, a list in order, or an object keyed by name. */
export type TensorsSpec = Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>;

/** What training needs of one model output. */
export interface OutputSpec {
  /** The output layer's name: the prefix of its logs (`<name>_loss`) when the model has several outputs. */
  readonly name: string;
  /** The graph node that computes it. */
  readonly node: number;
  /** Which of the node's outputs it is (0 but for a layer with several, e.g. a returned state). */
  readonly tensor: number;
  readonly shape: Shape;
  readonly loss: Loss;
  /** Its weight in the total loss (1 unless `lossWeights` says otherwise). */
  readonly weight: number;
  readonly metrics: readonly Metric[];
  /** Metrics that count each position with its sample weight (compile's `weightedMetrics`). */
  readonly weightedMetrics: readonly Metric[];
}

function isLossObject(value: unknown): value is Loss {
  return typeof value === 'object' && value !== null && typeof (value as Loss).compute === 'function';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Tensor) && !isTfjsTensor(value) && !isLossObject(value);
}

/** Checks the loss names in a compile spec before the graph is known; returns the first loss (the model's `loss`). */
export function checkLossSpec(spec: LossSpec): Loss {
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new Error('compile received loss=[]; give one loss per output, e.g. loss: [\'sparseCategoricalCrossentropy\', \'meanSquaredError\'].');
    return spec.map((l) => getLoss(l))[0];
  }
  if (isRecord(spec)) {
    const losses = Object.values(spec).map((l) => getLoss(l as string | Loss));
    if (losses.length === 0) throw new Error('compile received loss={}; give a loss per output name, e.g. loss: { class: \'sparseCategoricalCrossentropy\', value: \'mse\' }.');
    return losses[0];
  }
  return getLoss(spec as string | Loss);
}

/** A metrics argument as lists: one metric (a name, a metric object, or what checkMetricName refuses) becomes a list of one. */
export function metricsSpecOf(arg: MetricsArg): MetricsSpec {
  const listed = (entry: unknown) => (Array.isArray(entry) ? entry : [entry]);
  if (typeof arg !== 'object' || arg === null || isMetricObject(arg)) return [arg as string | MetricObject];
  if (Array.isArray(arg)) return arg;
  return Object.fromEntries(Object.entries(arg).map(([key, entry]) => [key, listed(entry)]));
}

/** Checks the metric names in a compile spec before the graph is known. */
export function checkMetricsSpec(spec: MetricsSpec): void {
  specMetrics(spec).forEach(checkMetricName);
}

/** Every entry of a metrics spec, names and metric objects, over all outputs. */
export function specMetrics(spec: MetricsSpec): (string | MetricObject)[] {
  return Array.isArray(spec) ? [...spec] : Object.values(spec as Record<string, readonly (string | MetricObject)[]>).flat();
}

/** The metric objects (from `km.metrics`) in a spec. */
function metricObjects(spec: MetricsSpec): MetricObject[] {
  return specMetrics(spec).filter((m): m is MetricObject => typeof m !== 'string');
}

/** Each output's metrics from a spec: a list for every output, or an object keyed by output name. */
function metricListsFor(spec: MetricsSpec, names: readonly string[], what: string): (readonly (string | MetricObject)[])[] {
  if (Array.isArray(spec) && names.length > 1) {
    const shared = (spec as readonly (string | MetricObject)[]).find((m) => typeof m !== 'string');
    // One stateful metric object cannot keep two outputs' running results apart.
    if (shared) throw new Error(`compile ${what} list holds the metric object '${(shared as MetricObject).name}', which a list would share between the outputs [${names.map((n) => `'${n}'`).join(', ')}]. Use names in the list, or an object keyed by output name with a separate metric object per output.`);
  }
  return Array.isArray(spec) ? names.map(() => spec as readonly (string | MetricObject)[]) : perOutput(spec as Readonly<Record<string, readonly (string | MetricObject)[]>>, names, what, []);
}

/**
 * The names compile's per-output specs, fit's targets, the logs and predict's object are keyed by:
 * the keys of outputs given as an object (Keras 3's dict outputs), else each output layer's name.
 */
export function outputNames(graph: Graph): string[] {
  return graph.outputKeys ? [...graph.outputKeys] : outputLayerNames(graph);
}

/**
 * Each output's layer name, as tfjs' `outputNames`: the layer that made it or, for an output of a
 * model applied inside this one, that model's name. A layer's or model's extra outputs (an RNN's
 * states) are named by their index, as 'lstm:1', where tfjs repeats the name.
 */
export function outputLayerNames(graph: Graph): string[] {
  return graph.outputs.map((node, k) => {
    const { layer, via } = graph.nodes[node];
    const tensor = graph.outputTensors[k];
    const index = via ? graph.applications.get(via)!.outputs.findIndex((o) => o.ref?.[0] === node && o.ref[1] === tensor) : tensor;
    return (via ? via.model.name : layer.name) + (index > 0 ? `:${index}` : '');
  });
}

/**
 * What predict and a model's apply return for `values` in output order: one, a list, or for named
 * outputs an object keyed by their names (Keras 3's dict). `graph` is null for a Sequential model
 * applied before its input shape is known, which has one unnamed output.
 */
export function modelOutputs<T>(graph: Graph | null, values: T[]): T | T[] | Record<string, T> {
  if (graph?.outputKeys) return Object.fromEntries(graph.outputKeys.map((key, k) => [key, values[k]]));
  return values.length === 1 ? values[0] : values;
}

/** A per-output value from a list (in output order) or an object keyed by output name; `fallback` where an object leaves one out. */
function perOutput<T>(spec: readonly T[] | Readonly<Record<string, T>>, names: readonly string[], what: string, fallback: T | undefined): T[] {
  const list = names.map((n) => `'${n}'`).join(', ');
  if (Array.isArray(spec)) {
    if (spec.length !== names.length) throw new Error(`compile ${what} has ${spec.length} entries, but the model has ${names.length} outputs [${list}]. Give one per output, in that order, or an object keyed by output name.`);
    return [...spec];
  }
  const record = spec as Readonly<Record<string, T>>;
  const unknown = Object.keys(record).filter((k) => !names.includes(k));
  if (unknown.length > 0) throw new Error(`compile ${what} names ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length > 1 ? 'are not outputs' : 'is not an output'} of the model; its outputs are [${list}]. Key ${what} by those names.`);
  return names.map((n) => {
    if (n in record) return record[n];
    if (fallback === undefined) throw new Error(`compile ${what} gives nothing for output '${n}'; the model's outputs are [${list}]. Add an entry for every output.`);
    return fallback;
  });
}

/** Resolves compile's loss, lossWeights, metrics and weightedMetrics into one spec per model output, with errors that name the outputs. */
export function resolveOutputs(graph: Graph, loss: LossSpec, lossWeights: LossWeightsSpec | undefined, metrics: MetricsSpec, weightedMetrics: MetricsSpec = []): OutputSpec[] {
  const names = outputNames(graph);
  const layerNames = outputLayerNames(graph);
  const repeated = layerNames.findIndex((n, k) => layerNames.indexOf(n) !== k);
  // Each output's loss writes its node's gradient and logs under the layer's name, so both must be unique.
  if (repeated >= 0) {
    const fix = "List each output once; for a second loss on it, add a layer (e.g. km.layers.activation({ activation: 'linear' })) and output that.";
    if (graph.outputKeys) throw new Error(`The model's outputs '${names[layerNames.indexOf(layerNames[repeated])]}' and '${names[repeated]}' are the same tensor (of layer '${layerNames[repeated]}'), so their losses would both write its gradient. ${fix}`);
    throw new Error(`The model lists output '${layerNames[repeated]}' more than once among its outputs [${names.map((n) => `'${n}'`).join(', ')}], so its losses and logs cannot be told apart. ${fix}`);
  }
  const losses = Array.isArray(loss) || isRecord(loss) ? perOutput<string | Loss>(loss as readonly (string | Loss)[], names, 'loss', undefined) : names.map(() => loss as string | Loss);
  const weights = lossWeights === undefined ? names.map(() => 1) : perOutput(lossWeights, names, 'lossWeights', 1);
  weights.forEach((w, k) => {
    if (!Number.isFinite(w) || w < 0) throw new Error(`compile lossWeights for output '${names[k]}' must be a finite number ≥ 0. Received: ${w}.`);
  });
  const weightedObjects = metricObjects(weightedMetrics);
  const both = metricObjects(metrics).find((m) => weightedObjects.includes(m));
  // Its running result would take both the unweighted and the weighted updates.
  if (both) throw new Error(`compile metrics and weightedMetrics both hold the metric object '${both.name}'. Give each list its own object, e.g. km.metrics.auc() in each.`);
  const metricLists = metricListsFor(metrics, names, 'metrics');
  const weightedLists = metricListsFor(weightedMetrics, names, 'weightedMetrics');
  return names.map((name, k) => {
    const node = graph.outputs[k];
    const shape = graph.modelOutputShape(k);
    const resolved = getLoss(losses[k]);
    const metricsOf = (list: readonly (string | MetricObject)[]) => list.map((m) => getMetric(m, resolved, shape));
    return { name, node, tensor: graph.outputTensors[k], shape, loss: resolved, weight: weights[k], metrics: metricsOf(metricLists[k]), weightedMetrics: metricsOf(weightedLists[k]) };
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value).join(', ')}]`;
  return typeof value;
}

/**
 * The tensors for each of `names` (the model's inputs or outputs) from one tensor, a list or an
 * object keyed by name; what each one is called in messages comes back beside it.
 */
export function tensorsFor(value: unknown, names: readonly string[], what: string, kind: 'inputs' | 'outputs'): { tensors: unknown[]; labels: string[] } {
  const list = names.map((n) => `'${n}'`).join(', ');
  const fix = `Pass ${names.length === 1 ? 'one tensor' : `a list of ${names.length} tensors in that order, or an object keyed by those names`}.`;
  if (isNumberArray(value)) throw new Error(`${what} must be a km.Tensor; received ${describeNonTensor(value)}.`);
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new Error(`${what} is ${describe(value)}, but the model has ${names.length} ${kind} [${list}]. ${fix}`);
    return { tensors: value, labels: names.length === 1 ? [what] : names.map((_, k) => `${what}[${k}] ('${names[k]}')`) };
  }
  if (isRecord(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    const missing = names.filter((n) => !(n in value));
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [unknown.length ? `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}` : '', missing.length ? `no entry for ${missing.map((k) => `'${k}'`).join(', ')}` : ''].filter(Boolean);
      throw new Error(`${what} has ${parts.join(' and ')}; the model's ${kind} are [${list}]. ${fix}`);
    }
    return { tensors: names.map((n) => value[n]), labels: names.map((n) => (names.length === 1 ? what : `${what}['${n}']`)) };
  }
  if (names.length !== 1) throw new Error(`${what} is ${describe(value)}, but the model has ${names.length} ${kind} [${list}]. ${fix}`);
  return { tensors: [value], labels: [what] };
}
