import type { Shape } from '../layers/layer.js';
import type { LossFunction } from '../losses/function_loss.js';
import { getLoss, type Loss, type LossName } from '../losses/losses.js';
import type { MetricFunction } from '../metrics/function_metric.js';
import { checkMetricName, getMetric, isMetricObject, type Metric, type MetricName } from '../metrics/metrics.js';
import type { MetricObject } from '../metrics/tensor_metric.js';
import { isTfjsTensor, Tensor } from '../tensor.js';
import { describeNonTensor, isNumberArray } from './foreign_values.js';
import type { Graph } from './graph.js';
import { undefinedInCompileError } from './undefined_in_compile.js';

/**
 * One loss for every output, a list in output order, or an object keyed by output name (see
 * `model.outputNames`). In a list or object, `null` gives an output no loss (Keras' `None`): it
 * still predicts, but nothing trains it against targets (see {@link OutputSpec.loss}).
 */
export type LossSpec = LossEntry | readonly (LossEntry | null)[] | Readonly<Record<string, LossEntry | null>>;
/** One output's loss: a name, a loss object, or a function of tensors. */
type LossEntry = LossName | string | Loss | LossFunction;
/** One metric: a name, a metric object, or a function of tensors. */
type MetricEntry = MetricName | string | MetricObject | MetricFunction;
type MetricList = readonly MetricEntry[];
/**
 * A list applied to every output, a list of lists (one per output, in output order, as Keras takes
 * them; `null` for an output without metrics), or an object keyed by output name (see `model.outputNames`).
 */
export type MetricsSpec = MetricList | readonly (MetricList | null)[] | Readonly<Record<string, MetricList>>;

/** What compile takes for metrics: a {@link MetricsSpec}, or as in tfjs one metric, and one per output in an object. */
export type MetricsArg = MetricsSpec | MetricEntry | Readonly<Record<string, MetricEntry | readonly MetricEntry[]>>;
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
  /**
   * null where compile gave the output no loss (Keras' `None`): it adds nothing to the loss and
   * sends no gradient back, and its targets are read only when it has metrics.
   */
  readonly loss: Loss | null;
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

/**
 * Checks the loss names in a compile spec before the graph is known; returns the first loss (the
 * model's `loss`), skipping outputs given none (`null`), of which there must not be only those.
 */
export function checkLossSpec(spec: LossSpec): Loss {
  if (spec === null) {
    throw new Error("compile received loss=null, but a model needs a loss to train: give a name such as 'meanSquaredError' or one from km.losses. null means 'no loss' only for some outputs of a model with several, in a list or object: loss: [null, 'categoricalCrossentropy'].");
  }
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new Error('compile received loss=[]; give one loss per output, e.g. loss: [\'sparseCategoricalCrossentropy\', \'meanSquaredError\'].');
    return firstLoss(spec, `[${spec.map(() => 'null').join(', ')}]`);
  }
  if (isRecord(spec)) {
    const entries = Object.values(spec);
    if (entries.length === 0) throw new Error('compile received loss={}; give a loss per output name, e.g. loss: { class: \'sparseCategoricalCrossentropy\', value: \'mse\' }.');
    return firstLoss(entries, `{ ${Object.keys(spec).map((k) => `${k}: null`).join(', ')} }`);
  }
  return getLoss(spec as LossEntry);
}

function firstLoss(entries: readonly unknown[], received: string): Loss {
  if (entries.includes(undefined)) throw undefinedInCompileError('loss');
  const losses = entries.filter((l) => l !== null).map((l) => getLoss(l as LossEntry));
  if (losses.length === 0) throw new Error(`compile received loss=${received}: no output has a loss, so there is nothing to train. null gives one output no loss; give at least one output a loss, e.g. 'meanSquaredError'.`);
  return losses[0];
}

/** A metrics argument as lists: one metric (a name, a metric object, or what checkMetricName refuses) becomes a list of one. */
export function metricsSpecOf(arg: MetricsArg): MetricsSpec {
  const listed = (entry: unknown) => (Array.isArray(entry) ? entry : [entry]);
  if (typeof arg !== 'object' || arg === null || isMetricObject(arg)) return [arg as MetricEntry];
  if (Array.isArray(arg)) return arg as MetricsSpec;
  return Object.fromEntries(Object.entries(arg).map(([key, entry]) => [key, listed(entry)]));
}

/** Checks the metric names in a compile spec before the graph is known. */
export function checkMetricsSpec(spec: MetricsSpec): void {
  for (const metric of specMetrics(spec)) {
    if (metric === undefined) throw undefinedInCompileError('metric');
    checkMetricName(metric);
  }
}

/** Every entry of a metrics spec, names and metric objects, over all outputs. */
export function specMetrics(spec: MetricsSpec): MetricEntry[] {
  const lists: readonly unknown[] = Array.isArray(spec) ? spec : Object.values(spec);
  return lists.flatMap((entry) => (entry === null ? [] : entry)) as MetricEntry[];
}

/** Whether a metrics list holds one list per output (`[['mae'], ['accuracy']]`, Keras' form) rather than metrics for every output. */
export function isPerOutputList(spec: MetricsSpec): spec is readonly (MetricList | null)[] {
  return Array.isArray(spec) && spec.some((entry) => Array.isArray(entry));
}

/** The metric objects (from `km.metrics`) in a spec. */
function metricObjects(spec: MetricsSpec): MetricObject[] {
  return specMetrics(spec).filter((m): m is MetricObject => typeof m === 'object');
}

/** Each output's metrics from a spec: a list for every output, or an object keyed by output name. */
function metricListsFor(spec: MetricsSpec, names: readonly string[], what: string): (readonly MetricEntry[])[] {
  if (isPerOutputList(spec)) {
    if (spec.length !== names.length) {
      throw new Error(`compile ${what} is a list of ${spec.length} lists, one per output, but the model has ${names.length} output${names.length > 1 ? 's' : ''} [${names.map((n) => `'${n}'`).join(', ')}]. Give one list per output, in that order (null or [] for an output without ${what}), or an object keyed by output name.`);
    }
    return spec.map((entry) => (entry === null ? [] : Array.isArray(entry) ? entry : [entry as unknown as MetricEntry]));
  }
  if (Array.isArray(spec) && names.length > 1) {
    const shared = (spec as readonly MetricEntry[]).find((m) => typeof m === 'object');
    // One stateful metric object cannot keep two outputs' running results apart.
    if (shared) throw new Error(`compile ${what} list holds the metric object '${(shared as MetricObject).name}', which a list would share between the outputs [${names.map((n) => `'${n}'`).join(', ')}]. Use names in the list, or an object keyed by output name with a separate metric object per output.`);
  }
  return Array.isArray(spec) ? names.map(() => spec as readonly MetricEntry[]) : perOutput(spec as Readonly<Record<string, readonly MetricEntry[]>>, names, what, []);
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

/**
 * Each output's loss from a list or object, null where it gives none. As in Keras 3, an object
 * may leave out an output only when the outputs are named (given as an object); for outputs in a
 * list every one needs an entry, null for no loss.
 */
function outputLosses(spec: readonly (LossEntry | null)[] | Readonly<Record<string, LossEntry | null>>, names: readonly string[], named: boolean): (LossEntry | null)[] {
  if (Array.isArray(spec) || named) return perOutput<LossEntry | null>(spec, names, 'loss', null);
  const missing = names.filter((n) => !(n in spec));
  // Unknown keys first (perOutput names them): a misspelt output name also leaves its output out.
  if (missing.length > 0 && Object.keys(spec).every((key) => names.includes(key))) {
    const key = (n: string) => (/^[A-Za-z_$][\w$]*$/.test(n) ? n : `'${n}'`);
    const example = `{ ${names.map((n) => `${key(n)}: ${n in spec ? '...' : 'null'}`).join(', ')} }`;
    throw new Error(`compile loss gives nothing for output${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}; the model's outputs are [${names.map((n) => `'${n}'`).join(', ')}]. Give every output an entry, null for one without a loss (Keras' None): loss: ${example}.`);
  }
  return perOutput<LossEntry | null>(spec, names, 'loss', undefined);
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
  const losses = Array.isArray(loss) || isRecord(loss) ? outputLosses(loss as readonly (LossEntry | null)[] | Readonly<Record<string, LossEntry | null>>, names, graph.outputKeys !== null) : names.map(() => loss as LossEntry);
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
    const resolved = losses[k] === null ? null : getLoss(losses[k]);
    // An output without a loss takes targets shaped like itself, as MSE's are ('accuracy' then goes by the output's classes).
    const metricsOf = (list: readonly MetricEntry[]) => list.map((m) => getMetric(m, resolved ?? getLoss('meanSquaredError'), shape));
    return { name, node, tensor: graph.outputTensors[k], shape, loss: resolved, weight: weights[k], metrics: metricsOf(metricLists[k]), weightedMetrics: metricsOf(weightedLists[k]) };
  });
}

/** `outputs` (resolved over another graph of the model, with the same outputs) laid over `graph`'s output nodes. */
export function outputsOver(graph: Graph, outputs: readonly OutputSpec[]): OutputSpec[] {
  return outputs.map((o, k) => ({ ...o, node: graph.outputs[k], tensor: graph.outputTensors[k], shape: graph.modelOutputShape(k) }));
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
 * object keyed by name; what each one is called in messages comes back beside it. Outputs marked
 * in `noLoss` (compiled without a loss) may go without targets, as Keras 3 lets them: null in the
 * list, left out of the object, or a list (or one tensor) of only the other outputs' targets.
 * Outputs marked in `metricsRead` (no loss, but metrics that read targets) need theirs, so one
 * tensor is not taken as the others' targets when such an output would go without.
 */
export function tensorsFor(value: unknown, names: readonly string[], what: string, kind: 'inputs' | 'outputs', noLoss: readonly boolean[] = [], metricsRead: readonly boolean[] = []): { tensors: unknown[]; labels: string[] } {
  const list = names.map((n) => `'${n}'`).join(', ');
  const withLoss = names.filter((_, k) => !noLoss[k]);
  const optional = withLoss.length < names.length;
  const skippable = names.filter((_, k) => noLoss[k] && !metricsRead[k]);
  const skip = skippable.length > 0 ? ` Outputs without a loss [${skippable.map((n) => `'${n}'`).join(', ')}] may go without targets: null in the list, left out of the object, or a list of the others' targets only [${withLoss.map((n) => `'${n}'`).join(', ')}].` : '';
  const fix = `Pass ${names.length === 1 ? 'one tensor' : `a list of ${names.length} tensors in that order, or an object keyed by those names`}.${skip}`;
  if (isNumberArray(value)) throw new Error(`${what} must be a km.Tensor; received ${describeNonTensor(value)}.`);
  // Keras 3's partial targets: only the outputs that have a loss, in order. One tensor for a model
  // whose other outputs need targets too is more likely all outputs' targets in one than a partial list.
  const partial = optional && (Array.isArray(value) ? value.length === withLoss.length : !isRecord(value) && withLoss.length === 1 && !metricsRead.some(Boolean));
  if (partial) {
    const given: unknown[] = Array.isArray(value) ? value : [value];
    const tensors: unknown[] = [];
    const labels: string[] = [];
    let next = 0;
    names.forEach((n, k) => {
      const from = noLoss[k] ? -1 : next++;
      tensors.push(from < 0 ? null : given[from]);
      labels.push(Array.isArray(value) ? `${what}[${from}] ('${n}')` : what);
    });
    return { tensors, labels };
  }
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new Error(`${what} is ${describe(value)}, but the model has ${names.length} ${kind} [${list}]. ${fix}`);
    return { tensors: value, labels: names.length === 1 ? [what] : names.map((_, k) => `${what}[${k}] ('${names[k]}')`) };
  }
  if (isRecord(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    const missing = names.filter((n, k) => !(n in value) && !noLoss[k]);
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [unknown.length ? `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}` : '', missing.length ? `no entry for ${missing.map((k) => `'${k}'`).join(', ')}` : ''].filter(Boolean);
      throw new Error(`${what} has ${parts.join(' and ')}; the model's ${kind} are [${list}]. ${fix}`);
    }
    return { tensors: names.map((n) => value[n] ?? null), labels: names.map((n) => (names.length === 1 ? what : `${what}['${n}']`)) };
  }
  if (names.length !== 1) throw new Error(`${what} is ${describe(value)}, but the model has ${names.length} ${kind} [${list}]. ${fix}`);
  return { tensors: [value], labels: [what] };
}
