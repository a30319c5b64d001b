import { uniqueName } from '../layers/layer_names.js';
import { Graph, modelInputRef, unknownAxesField, type ApplicationEnds, type GraphNode, type TensorRef } from './graph.js';
import { entryLayers, listedEntries } from './graph_entries.js';
import { InputLayer } from '../layers/input_layer.js';
import { LayersModel, type ModelOutputs } from './model.js';
import type { AppliedOutputs, AppliedSymbolicOutputs, PredictedOutputs, SymbolicOutputs } from './output_types.js';
import type { Tensor } from '../tensor.js';
import { SymbolicTensor, type ModelApplication, type SymbolicCall } from './symbolic.js';
import type { ModelApplyArgs } from './model_input_masks.js';
import type { Layer } from '../layers/layer.js';
import type { InputSample } from './input_sample.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { trainingEndsOf, type SymbolicEnds } from './training_ends.js';

/** Options of {@link model}; `O` is the type of `outputs`, which types what the model's `predict` returns. */
export interface FunctionalModelArgs<O extends SymbolicOutputs = SymbolicOutputs> {
  inputs: SymbolicTensor | SymbolicTensor[];
  /**
   * One symbolic tensor, a list, or an object that names each output (Keras 3's dict outputs):
   * compile's losses, lossWeights and metrics, fit's and evaluate's targets and the logs are then
   * keyed by those names, and predict returns an object keyed by them.
   */
  outputs: O;
  name?: string;
}

/**
 * A model built with the functional API: any directed acyclic graph of layers. `Out` is what its
 * `predict` returns, which {@link model} infers from the outputs it is given (see {@link LayersModel}).
 */
export class Functional<Out extends ModelOutputs = ModelOutputs> extends LayersModel<Out> {
  readonly #graph: Graph;
  readonly #ends: { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] };
  #layers: readonly (Layer | LayersModel)[] | undefined;
  /** What training steps run where they apply a km.Model's training branch (see {@link trainingSymbolicEnds}), once asked. */
  #training: { ends: SymbolicEnds | null; graph: Graph | null } | undefined;

  constructor(args: FunctionalModelArgs) {
    checkNotPositional(args);
    checkOptions(args, optionNames<FunctionalModelArgs>({ inputs: true, outputs: true, name: true }), 'km.model');
    const named = namedOutputs(args.outputs);
    const ends = { inputs: listOf(args.inputs, 'inputs'), outputs: named?.tensors ?? listOf(args.outputs as SymbolicTensor | readonly SymbolicTensor[], 'outputs') };
    const graph = traceGraph(ends.inputs, ends.outputs, named?.keys ?? null);
    // A nested model's layers whose outputs go unused here are the model's all the same (Keras, tfjs).
    super(entryLayers(graph), args.name ?? uniqueName('model'));
    this.#graph = graph;
    this.#ends = ends;
  }

  /**
   * The layers as Keras and tfjs list them, a model applied inside this one as one entry (see
   * {@link LayersModel.layers}), with an {@link InputLayer} per model input: deepest first (the
   * longest path from a layer to an output), layers of equal depth in the order a walk back from
   * the outputs first reaches them. So in `a -> a1 -> a2` and `b -> b1 -> b2` added together the
   * order is a, b, a1, b1, a2, b2, add, and `model.layers[i]`, `getWeights()` and `weights` line up
   * with Keras' and tfjs' index for index. `allLayers`, the weights and the saved file leave the
   * InputLayers out: they have no weights.
   */
  override get layers(): readonly (Layer | LayersModel)[] {
    return (this.#layers ??= listedLayers(this.#graph, this.#ends.inputs));
  }

  override get className(): string {
    return 'Functional';
  }

  /**
   * Uses the model as a layer (see {@link LayersModel.apply}), returning the form its outputs have:
   * on `km.model({ inputs, outputs: [a, b] })`, `apply(x)` gives two symbolic tensors (a tuple), or
   * on data two tensors; on named outputs, an object with the same keys.
   *
   * @example
   * ```ts
   * const [classes, value] = twoHeads.apply(km.input({ shape: [4] })); // [km.SymbolicTensor, km.SymbolicTensor]
   * ```
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ModelApplyArgs): AppliedSymbolicOutputs<Out>;
  override apply(inputs: Tensor | readonly Tensor[], options?: ModelApplyArgs): AppliedOutputs<Out>;
  // The forms of a model whose outputs are not known, so that every typed model is still a
  // km.LayersModel: TypeScript compares a subclass with that type member by member, where an object
  // of symbolic tensors (named outputs) is not the `SymbolicTensor | SymbolicTensor[]` it expects.
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ModelApplyArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor | readonly Tensor[], options?: ModelApplyArgs): Tensor | Tensor[];
  override apply<T extends Record<string, SymbolicTensor>>(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ModelApplyArgs): T;
  override apply<T extends Record<string, Tensor>>(inputs: Tensor | readonly Tensor[], options?: ModelApplyArgs): T;
  override apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: ModelApplyArgs): unknown {
    return super.apply(inputs as SymbolicTensor, options);
  }

  /** The layers training computes with: the training graph's, where it applies a km.Model's training branch. */
  override get computedLayers(): readonly Layer[] {
    return computedIn(this.trainingGraph() ?? this.#graph, this.allLayers);
  }

  /**
   * Where this model applies a km.Model whose call branches on `training`, without fixing the mode
   * (`block.apply(x)`), its training steps take that branch: they run this model's graph made again
   * with that application in training mode. Null where it applies none.
   */
  override trainingSymbolicEnds(): SymbolicEnds | null {
    return this.#trainingTrace().ends;
  }

  protected override trainingGraph(): Graph | null {
    return this.#trainingTrace().graph;
  }

  #trainingTrace(): { ends: SymbolicEnds | null; graph: Graph | null } {
    if (this.#training) return this.#training;
    const ends = trainingEndsOf(this.#ends, `Model '${this.name}'`);
    return (this.#training = { ends, graph: ends && traceGraph(ends.inputs, ends.outputs, this.#graph.outputKeys) });
  }

  protected override symbolicEnds(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
    return this.#ends;
  }

  /** The traced graph: layers in topological order with the nodes each reads (what saving writes). */
  get graph(): Graph {
    return this.#graph;
  }

  protected override buildGraph(_sample: InputSample | null): Graph {
    return this.#graph;
  }
}

/**
 * Makes a model from symbolic inputs and outputs (Keras' functional API): residual connections,
 * branches and merges. Its type follows the outputs: `predict` and `apply` return a tensor for one
 * output, a tuple for a list written in place (`outputs: [a, b]`), an object with the same keys for
 * named outputs; a list of unknown length leaves them to the caller (`predict<km.Tensor[]>(x)`).
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [28, 28, 1] });
 * const h = km.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
 * const r = km.layers.add().apply([h, km.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(h)]);
 * const y = km.layers.dense({ units: 10, activation: 'softmax' }).apply(km.layers.flatten().apply(r));
 * const model = km.model({ inputs: x, outputs: y });
 *
 * // Named outputs (Keras 3's dict): losses, targets, logs and predictions are keyed by the names.
 * const twoHeads = km.model({ inputs: x, outputs: { digit: y, parity: km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(r) } });
 * twoHeads.compile({ optimizer: 'adam', loss: { digit: 'sparseCategoricalCrossentropy', parity: 'binaryCrossentropy' } });
 * const { digit, parity } = twoHeads.predict(images); // typed { digit: km.Tensor<'float32'>; parity: km.Tensor<'float32'> }
 * ```
 */
export function model<const O extends SymbolicOutputs>(args: FunctionalModelArgs<O>): Functional<PredictedOutputs<O>> {
  return new Functional(args);
}

/** The graph's entries and an InputLayer per model input, in Keras' and tfjs' order (see {@link Functional.layers}). */
export function listedLayers(graph: Graph, inputs: readonly SymbolicTensor[]): (Layer | LayersModel)[] {
  return listedEntries(graph).map((item) => ('input' in item ? InputLayer.of(inputs[item.input]) : item.entry.entry));
}

/** Those of `layers` that `graph` computes with (see {@link LayersModel.computedLayers}). */
export function computedIn(graph: Graph, layers: readonly Layer[]): Layer[] {
  const computed = new Set(graph.layers);
  return layers.filter((layer) => computed.has(layer));
}

/** Keras' `Model(inputs, outputs)` passes the tensors in order, where km.model (as tfjs' tf.model) takes them by name. */
function checkNotPositional(args: unknown): void {
  const tensors = Array.isArray(args) && args.length > 0 && args.every((t) => t instanceof SymbolicTensor);
  if (!(args instanceof SymbolicTensor) && !tensors) return;
  throw new Error(
    `km.model takes one options object: write km.model({ inputs, outputs }) (tfjs' tf.model form) for Keras' Model(inputs, outputs). ` +
      `Received: ${tensors ? 'a list of symbolic tensors' : 'a symbolic tensor'} as the first argument.`,
  );
}

function listOf(value: SymbolicTensor | readonly SymbolicTensor[], what: string): SymbolicTensor[] {
  const list = (Array.isArray(value) ? value : [value]) as SymbolicTensor[];
  if (list.length === 0 || !list.every((t) => t instanceof SymbolicTensor)) {
    const alsoObject = what === 'outputs' ? ', or an object of them keyed by output name' : '';
    throw new Error(`km.model expects ${what} to be a symbolic tensor or a non-empty list of them${alsoObject} (from km.input(...) or layer.apply(...)). Received: ${what}=${Array.isArray(value) ? `a list of ${value.length}` : value === null ? 'null' : typeof value}.`);
  }
  return list;
}

/** Outputs given as an object (Keras 3's dict outputs): their keys and tensors, in the object's key order; null for a tensor or a list. */
function namedOutputs(value: unknown): { keys: string[]; tensors: SymbolicTensor[] } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof SymbolicTensor) return null;
  const entries = Object.entries(value);
  if (entries.length === 0) throw new Error("km.model received outputs={}; name at least one output, e.g. outputs: { digit: digitHead, parity: parityHead }.");
  const bad = entries.find(([, t]) => !(t instanceof SymbolicTensor));
  if (bad) {
    const [key, t] = bad;
    throw new Error(`km.model outputs['${key}'] must be a symbolic tensor (from layer.apply(...)). Received: ${Array.isArray(t) ? `a list of ${t.length}` : t === null ? 'null' : typeof t}. Give each output name one tensor; a layer with several outputs gives one per name, e.g. { out: y, state: h }.`);
  }
  if (entries.some(([key]) => key === '')) throw new Error("km.model outputs has an empty key ''; name each output, e.g. outputs: { digit: digitHead }.");
  return { keys: entries.map(([key]) => key), tensors: entries.map(([, t]) => t as SymbolicTensor) };
}

/** Walks back from the outputs, numbering each layer application once. */
export function traceGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[], outputKeys: readonly string[] | null): Graph {
  inputs.forEach((t) => {
    if (t.source.kind !== 'input') throw new Error(`km.model inputs must come from km.input(...), but '${t.name}' is the output of layer '${t.name}'. Pass the km.input(...) tensor it was computed from.`);
  });
  const inputIndex = new Map<SymbolicTensor, number>();
  inputs.forEach((t, k) => inputIndex.set(t, modelInputRef(k)));
  // A node per layer call: the outputs of a layer with several (an RNN's states) share theirs.
  const callIndex = new Map<SymbolicCall, number>();
  const nodes: GraphNode[] = [];
  const reached = new Set<SymbolicTensor>();
  const visit = (t: SymbolicTensor, consumer: string): number => {
    const known = inputIndex.get(t);
    if (known !== undefined) {
      reached.add(t);
      return known;
    }
    if (t.source.kind === 'input') {
      throw new Error(`Layer '${consumer}' depends on input '${t.name}', which is not in the model's inputs [${inputs.map((x) => `'${x.name}'`).join(', ')}]. Add it to km.model({ inputs }).`);
    }
    const { call } = t.source;
    const seen = callIndex.get(call);
    if (seen !== undefined) return seen;
    const refs = call.inbound.map((x) => visit(x, call.layer.name));
    const tensors = call.inbound.map(tensorIndex);
    const outputShapes = call.outputs.map((o) => o.tracedShape);
    nodes.push({
      layer: call.layer, inbound: refs, outputShape: outputShapes[0],
      ...(outputShapes.length > 1 ? { outputShapes } : {}),
      ...unknownAxesField(call.outputs.map((o) => o.unknownAxes)),
      ...(tensors.some((k) => k > 0) ? { inboundTensors: tensors } : {}),
      ...(call.training !== undefined ? { training: call.training } : {}),
      ...(call.masks ? { masks: call.masks } : {}),
      ...(call.maskedInputs ? { maskedInputs: call.maskedInputs } : {}),
      // An application is grouped where its ends are known (every model.apply records them).
      ...(call.via?.ends ? { via: call.via } : {}),
    });
    callIndex.set(call, nodes.length - 1);
    return nodes.length - 1;
  };
  if (outputs.every((t) => t.source.kind === 'input')) throw new Error(`Model outputs [${outputs.map((t) => `'${t.name}'`).join(', ')}] are all model inputs; a model needs at least one output computed by a layer.`);
  // An input that is also an output (Keras allows it: `outputs: model.layers.map((l) => l.output)`)
  // is read through its InputLayer, which passes it on unchanged; the saved file names the input.
  const passed = new Map<SymbolicTensor, number>();
  const outputRefs = outputs.map((t) => {
    const k = inputIndex.get(t);
    if (k === undefined) return visit(t, t.name);
    reached.add(t);
    if (!passed.has(t)) passed.set(t, nodes.push({ layer: InputLayer.of(t), inbound: [k], outputShape: t.tracedShape, ...unknownAxesField([t.unknownAxes]) }) - 1);
    return passed.get(t)!;
  });
  checkUniqueNames(inputs, nodes);
  const unused = inputs.filter((t) => !reached.has(t));
  if (unused.length > 0) {
    throw new Error(`Input${unused.length > 1 ? 's' : ''} ${unused.map((t) => `'${t.name}'`).join(', ')} ${unused.length > 1 ? 'are' : 'is'} not connected to the outputs [${outputs.map((t) => `'${t.name}'`).join(', ')}]. Remove ${unused.length > 1 ? 'them' : 'it'} from inputs, or apply layers to ${unused.length > 1 ? 'them' : 'it'} that lead to an output.`);
  }
  // Where each model applied inside reads and writes, for its summary row and its saved entry.
  const refOf = (t: SymbolicTensor): TensorRef | null => {
    const ref = inputIndex.get(t) ?? (t.source.kind === 'layer' ? callIndex.get(t.source.call) : undefined);
    return ref === undefined ? null : [ref, tensorIndex(t)];
  };
  const applications = new Map<ModelApplication, ApplicationEnds>();
  for (const { via } of nodes) {
    if (!via?.ends || applications.has(via)) continue;
    const { inputs: read, outputs: made, masks } = via.ends;
    applications.set(via, { inputs: read.map((t) => refOf(t)!), outputs: made.map((t) => ({ ref: refOf(t), shape: t.tracedShape })), ...(masks ? { masks: masks.map((m) => m && refOf(m)) } : {}) });
  }
  return Graph.fromNodes(inputs.map((t) => t.tracedShape), inputs.map((t) => t.name), nodes, outputRefs, outputs.map(tensorIndex), applications, outputKeys, inputs.map((t) => t.unknownAxes));
}

/**
 * Keras' rule that a model's inputs and layers have distinct names: inputs are fed and saved by
 * name, and a saved file's connections and weights name their layers. Layers inside a model
 * applied as a layer are that model's to name.
 */
function checkUniqueNames(inputs: SymbolicTensor[], nodes: GraphNode[]): void {
  const owners = new Map<string, { owner: unknown; kind: 'input' | 'layer' }>();
  const claim = (name: string, owner: unknown, kind: 'input' | 'layer'): void => {
    const taken = owners.get(name);
    if (taken === undefined) return void owners.set(name, { owner, kind });
    if (taken.owner === owner) return;
    const by = taken.kind === kind ? `two ${kind}s` : 'an input and a layer';
    throw new Error(`km.model: the name '${name}' is used by ${by}; a model's inputs and layers need distinct names, since inputs are fed and saved by name. Give one of them another name, or leave name out for a unique one.`);
  };
  for (const t of inputs) claim(t.name, t, 'input');
  for (const { layer, via } of nodes) if (!via && !(layer instanceof InputLayer)) claim(layer.name, layer, 'layer');
}

/** Which output of its layer call a tensor is (Keras' tensor index; 0 for a model input). */
function tensorIndex(t: SymbolicTensor): number {
  return t.source.kind === 'layer' ? t.source.outputIndex : 0;
}
