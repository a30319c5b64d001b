// Keras 3 runs a subclassed model's call per mode: training=True in fit's train step, False
// elsewhere. kerasm traces a km.Model's call for each mode, and keeps one graph where both traces
// connect the same layers the same way (most models), or the training trace beside the inference one.
import { Lambda } from '../layers/lambda.js';
import { Layer, type Shape } from '../layers/layer.js';
import { layerNamesState, restoreLayerNames } from '../layers/layer_names.js';
import { tidy } from '../ops/tidy.js';
import { shapeSize, tensor } from '../tensor.js';
import { isPlainObject } from '../utils/plain_object.js';
import { Random } from '../utils/random.js';
import { inboundShape, inputCount, type Graph, type GraphNode } from './graph.js';
import { entryLayers } from './graph_entries.js';
import { LayersModel } from './model.js';
import { callsMadeBy, forgetCalls, type SymbolicTensor } from './symbolic.js';
import { inTracedMode } from './traced_mode.js';

/** The km.Model whose `call` is traced: its fields hold its layers, and its class name names it in messages. */
interface TracedModel {
  readonly className: string;
}

/** One trace of a km.Model's `call`: its graph and symbolic ends. */
export interface CallTrace {
  readonly graph: Graph;
  readonly ends: { readonly inputs: SymbolicTensor[]; readonly outputs: SymbolicTensor[] };
}

/** What a km.Model runs: the inference trace, and the training trace where `call` branches on `training` (null: the inference one serves training too). */
export interface ModeTraces {
  readonly inference: CallTrace;
  readonly training: CallTrace | null;
}

/**
 * Traces `call` (`trace(training)`) three times: with `training` undefined, true and false. Where
 * the graph of undefined runs as the other two in their modes (the same layer calls on the same
 * tensors, a layer given `training` following the pass), that one graph is kept, as it was before
 * modes were traced. Otherwise the false and true traces are kept, and the layer calls of the
 * traces not kept are forgotten, so that a layer's `output` and `getOutputAt` name the inference
 * graph's calls alone.
 */
export function traceModes(model: TracedModel, trace: (training: boolean | undefined) => CallTrace): ModeTraces {
  const inMode = (mode: boolean | undefined) => inTracedMode(mode, () => callsMadeBy(() => trace(mode)));
  const passed = inMode(undefined);
  // Layers the other traces make inside call are discarded where that one is kept: their names go back.
  const named = layerNamesState();
  const training = inMode(true);
  const inference = inMode(false);
  const tracked = trackedLayers(model);
  if (runsAs(passed.value.graph, training.value.graph, true, tracked) && runsAs(passed.value.graph, inference.value.graph, false, tracked)) {
    forgetCalls([...training.calls, ...inference.calls]);
    restoreLayerNames(named);
    return { inference: passed.value, training: null };
  }
  forgetCalls([...passed.calls, ...training.calls]);
  try {
    checkBranches(model, training.value.graph, inference.value.graph, tracked);
  } catch (error) {
    forgetCalls(inference.calls);
    throw error;
  }
  return { inference: inference.value, training: training.value };
}

/** The layers `training`'s graph computes with that `inference`'s does not (a branch's augmentation, an auxiliary head). */
function trainingOnlyLayers(inference: Graph, training: Graph): Layer[] {
  const used = new Set(entryLayers(inference));
  return entryLayers(training).filter((layer) => !used.has(layer));
}

/** The models {@link checkSavedBranches} warned about, so that a checkpoint every epoch warns once. */
const warnedSaves = new WeakSet<TracedModel>();

/**
 * Throws when `model`, whose `call` branches on `training`, would save a layer its inference graph
 * leaves out: the file holds that graph, so a training-only layer with weights could not be loaded
 * back. Warns, once per model, where such layers have no weights (an augmentation): the file
 * predicts as the model does, but a model loaded from it trains without them.
 */
export function checkSavedBranches(model: TracedModel, inference: Graph, training: Graph | null, what: string): void {
  const only = training ? trainingOnlyLayers(inference, training) : [];
  if (only.length === 0) return;
  const names = only.map((layer) => `'${layer.name}' (${layer.className})`).join(', ');
  const weighted = only.filter((layer) => layer.weightSpecs.length > 0);
  if (weighted.length > 0) {
    throw new Error(
      `${model.className}.${what}: its call applies ${names} only when training, and a saved km.Model is its inference graph, a functional model, which cannot hold the weights of ${weighted.map((l) => `'${l.name}'`).join(', ')}. ` +
        `Save the inference part, which shares the layers: km.model({ inputs: model.inputs, outputs: model.outputs }).${what}(...); or keep the training-only weights with model.getWeights().`,
    );
  }
  if (warnedSaves.has(model)) return;
  warnedSaves.add(model);
  console.warn(`${model.className}.${what}: saved as its inference graph, a functional model, without ${names}, which its call applies only when training. Loaded, it predicts as this model does, but fit no longer applies them.`);
}

/**
 * Whether `kept`, run in pass `mode`, computes as `other` (a trace for that mode): the same layers
 * in the same order on the same tensors, each call in the same effective mode. A layer made inside
 * `call` is a new object in each trace: two such layers of one class and config match, and two
 * Lambdas that compute the same.
 */
function runsAs(kept: Graph, other: Graph, mode: boolean, tracked: ReadonlySet<Layer>): boolean {
  if (kept.nodes.length !== other.nodes.length || !sameList(kept.outputs, other.outputs) || !sameList(kept.outputTensors, other.outputTensors)) return false;
  return kept.nodes.every((a, i) => sameCall(kept, a, other.nodes[i], mode, tracked));
}

function sameCall(graph: Graph, a: GraphNode, b: GraphNode, mode: boolean, tracked: ReadonlySet<Layer>): boolean {
  const shapes = () => Array.from({ length: inputCount(a) }, (_, slot) => inboundShape(graph, a, slot));
  return (
    sameLayer(a.layer, b.layer, tracked, shapes) &&
    sameList(a.inbound, b.inbound) &&
    sameList(a.inboundTensors ?? [], b.inboundTensors ?? []) &&
    (a.masks ?? 0) === (b.masks ?? 0) &&
    sameList(a.maskedInputs ?? [], b.maskedInputs ?? []) &&
    (a.training ?? mode) === (b.training ?? mode) &&
    a.via?.model === b.via?.model
  );
}

function sameLayer(a: Layer, b: Layer, tracked: ReadonlySet<Layer>, shapes: () => Shape[]): boolean {
  if (a === b) return true;
  if (tracked.has(a) || tracked.has(b) || a.className !== b.className) return false;
  if (a instanceof Lambda && b instanceof Lambda) return sameLambda(a, b, shapes());
  // A layer whose config cannot be written may differ in what it holds.
  const config = (layer: Layer) => {
    try {
      return JSON.stringify({ ...layer.getConfig(), name: null });
    } catch {
      return null;
    }
  };
  const first = config(a);
  return first !== null && first === config(b);
}

/**
 * Whether two Lambdas made by `call` in two traces compute the same: the same function, or the same
 * source computing the same on one random sample of inputs of `shapes` (a closure may capture
 * `training`, or a value made from it). One that throws on it, or draws random numbers, differs.
 */
function sameLambda(a: Lambda, b: Lambda, shapes: readonly Shape[]): boolean {
  if (a.fn === b.fn) return true;
  if (String(a.fn) !== String(b.fn)) return false;
  const random = new Random(1);
  try {
    return tidy(() => {
      const inputs = shapes.map((shape) => tensor(Float32Array.from({ length: shapeSize(shape) }, () => random.uniform(-1, 1)), [1, ...shape]));
      const given = inputs.length === 1 ? inputs[0] : inputs;
      const [first, second] = [a.fn(given).dataSync(), b.fn(given).dataSync()];
      return first.length === second.length && first.every((v, i) => Object.is(v, second[i]));
    });
  } catch {
    return false;
  }
}

/**
 * The layers `model` holds in its fields (a layer or model, or a list or plain object of them), as
 * Keras tracks a model's attributes: the layers `call` did not make.
 */
function trackedLayers(model: TracedModel): Set<Layer> {
  const found = new Set<Layer>();
  const visit = (value: unknown, depth: number): void => {
    if (value instanceof Layer) found.add(value);
    else if (value instanceof LayersModel) for (const layer of value.allLayers) found.add(layer);
    else if (depth < 2 && (Array.isArray(value) || isPlainObject(value))) for (const item of Object.values(value as object)) visit(item, depth + 1);
  };
  for (const value of Object.values(model)) visit(value, 0);
  return found;
}

/** Throws where the two graphs of a branching `call` cannot serve as one model: other outputs, or a layer with weights made inside `call`, whose every trace made its own. */
function checkBranches(model: TracedModel, training: Graph, inference: Graph, tracked: ReadonlySet<Layer>): void {
  const where = `${model.className}.call connects its layers differently when training (it branches on training), so kerasm keeps a graph per mode`;
  const shapes = (graph: Graph) => graph.outputs.map((_, k) => `[${graph.modelOutputShape(k).join(', ')}]`).join(', ');
  if (shapes(training) !== shapes(inference) || JSON.stringify(training.outputKeys) !== JSON.stringify(inference.outputKeys)) {
    throw new Error(
      `${where}, and both must return the same outputs: with training true it returns ${describeOutputs(training, shapes(training))}, with training false ${describeOutputs(inference, shapes(inference))}. ` +
        'Return outputs of the same shapes and names in both modes (compile, fit and predict take one set of outputs).',
    );
  }
  const made = [...new Set([...entryLayers(training), ...entryLayers(inference)])].filter((layer) => !tracked.has(layer) && layer.weightSpecs.length > 0);
  if (made.length > 0) {
    const names = made.map((layer) => `'${layer.name}' (${layer.className})`).join(', ');
    throw new Error(
      `${where}, and it makes ${names} inside call: each trace made its own, with weights of its own, so predict would not use the weights fit trains. ` +
        'Make each layer with weights once, as a field of the model (readonly dense = km.layers.dense({ units: 8 })), and apply it in call.',
    );
  }
}

function describeOutputs(graph: Graph, shapes: string): string {
  return graph.outputKeys ? `{ ${graph.outputKeys.join(', ')} } of shapes ${shapes}` : `${graph.outputs.length} of shape${graph.outputs.length === 1 ? '' : 's'} ${shapes}`;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
