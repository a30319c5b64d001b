// tfjs' GraphModel for inference: a converted TensorFlow graph run with km ops.
import { Tensor, type DType } from '../../tensor.js';
import type { ModelArtifacts } from '../types.js';
import { concatWeightData, decodeWeights } from '../weights.js';
import { checkRunnable } from './graph_checks.js';
import { attrs, graphNodes, parseInputName, topologicalOrder, type GraphNode, type TensorRef, type TensorShapeJSON } from './graph_def.js';
import { runGraph } from './graph_run.js';

/** An input or output of a {@link GraphModel}, as tfjs' `TensorInfo`: shape -1 where any size goes. */
export interface GraphTensorInfo {
  name: string;
  shape?: number[];
  dtype?: DType;
}

/** Inputs of a graph model: one tensor, tensors in `inputNodes` order, or tensors by input name. */
export type GraphInputs = Tensor | Tensor[] | Record<string, Tensor>;

/** A signature entry of model.json: the graph tensor behind a key. */
interface SignatureEntry {
  name: string;
  dtype?: string | number;
  tensorShape?: TensorShapeJSON;
}

interface Signature {
  inputs?: Record<string, SignatureEntry>;
  outputs?: Record<string, SignatureEntry>;
}

/** A graph input or output: its node, and the signature key it goes by if any. */
interface Endpoint {
  node: GraphNode;
  ref: TensorRef;
  key?: string;
}

/**
 * A TensorFlow graph converted by `tensorflowjs_converter` (TF SavedModel, TF Hub, frozen graph),
 * loaded by {@link loadGraphModel} for inference, as tfjs' `GraphModel`. Each run computes only the
 * nodes the outputs need and disposes the intermediate tensors as soon as they are used; the weights
 * stay until {@link GraphModel.dispose}.
 *
 * @example
 * ```ts
 * const model = await km.loadGraphModel('https://example.com/mobilenet/model.json');
 * const probs = model.predict(km.zeros([1, 224, 224, 3])) as km.Tensor;
 * ```
 */
export class GraphModel {
  readonly #nodes: Map<string, GraphNode>;
  readonly #order: GraphNode[];
  readonly #weights: Map<string, Tensor>;
  readonly #inputs: Endpoint[];
  readonly #outputs: Endpoint[];
  readonly #signature: Signature;
  readonly #where: string;
  #disposed = false;
  /** The model.json's `userDefinedMetadata`, as tfjs' `model.metadata`. */
  readonly metadata: Record<string, unknown> | undefined;

  /** @internal Use {@link loadGraphModel}. */
  constructor(artifacts: ModelArtifacts, where: string) {
    if (artifacts.format === 'layers-model') throw new Error(`${where} is a 'layers-model', not a graph model. Load it with km.loadLayersModel.`);
    this.#where = where;
    this.#nodes = graphNodes(artifacts.modelTopology, where);
    checkRunnable(this.#nodes.values(), where);
    this.#order = topologicalOrder(this.#nodes, where);
    this.#signature = (artifacts.signature ?? {}) as Signature;
    this.#weights = constWeights(this.#nodes, artifacts, where);
    this.#inputs = this.#endpoints(this.#signature.inputs, () => [...this.#nodes.values()].filter((n) => n.op === 'Placeholder'));
    this.#outputs = this.#endpoints(this.#signature.outputs, () => leafNodes(this.#nodes));
    this.metadata = artifacts.userDefinedMetadata;
  }

  #endpoints(signed: Record<string, SignatureEntry> | undefined, unsigned: () => GraphNode[]): Endpoint[] {
    if (signed && Object.keys(signed).length > 0) {
      return Object.entries(signed).map(([key, entry]) => {
        const ref = parseInputName(entry.name).ref;
        const node = this.#nodes.get(ref.node);
        if (!node) throw new Error(`${this.#where}: the signature's '${key}' names tensor '${entry.name}', which is not in the graph. Convert the model again.`);
        return { node, ref, key };
      });
    }
    return unsigned().map((node) => ({ node, ref: { node: node.name, index: 0 } }));
  }

  /** The graph's inputs (their Placeholder nodes' names, shapes and dtypes), as tfjs' `model.inputs`. */
  get inputs(): GraphTensorInfo[] {
    return this.#inputs.map(({ node }) => tensorInfo(node));
  }

  /** The graph's outputs, as tfjs' `model.outputs`. */
  get outputs(): GraphTensorInfo[] {
    return this.#outputs.map(({ node }) => tensorInfo(node));
  }

  /** The names `execute` takes inputs by, in the order `predict` takes a list: signature keys, else node names. */
  get inputNodes(): string[] {
    return this.#inputs.map((e) => e.key ?? e.node.name);
  }

  /** The names of the outputs `predict` returns, in order: signature keys, else node names. */
  get outputNodes(): string[] {
    return this.#outputs.map((e) => e.key ?? e.node.name);
  }

  /** The weights (the graph's Const nodes) by node name, each as a one-tensor list as in tfjs. */
  get weights(): Record<string, Tensor[]> {
    return Object.fromEntries([...this.#weights].map(([name, t]) => [name, [t]]));
  }

  /**
   * Runs the model on `inputs` and returns its outputs: one tensor for a model of one output, else
   * a list in `outputNodes` order.
   *
   * @example
   * ```ts
   * const logits = model.predict(images) as km.Tensor;
   * ```
   */
  predict(inputs: GraphInputs): Tensor | Tensor[] {
    return this.execute(inputs, this.outputNodes);
  }

  /**
   * Computes the tensors `outputs` names (output or intermediate node names, `'node:1'` for a node's
   * second output, or signature keys; default the model's outputs) from `inputs`. Returns one tensor
   * where one is asked for, else a list in the order asked.
   *
   * @example
   * ```ts
   * const [features, probs] = model.execute({ images }, ['MobilenetV2/Conv_1/Relu6', 'Identity']) as km.Tensor[];
   * ```
   */
  execute(inputs: GraphInputs, outputs?: string | string[]): Tensor | Tensor[] {
    if (this.#disposed) throw new Error(`${this.#where}: this graph model was disposed; load it again to run it.`);
    const names = outputs === undefined ? this.outputNodes : typeof outputs === 'string' ? [outputs] : outputs;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
      throw new Error(`${this.#where}: outputs must be a node name or a non-empty list of them, such as ${JSON.stringify(this.outputNodes)}. Received: ${JSON.stringify(outputs)}.`);
    }
    const feeds = this.#feeds(inputs);
    const results = runGraph({ order: this.#order, nodes: this.#nodes, weights: this.#weights, feeds, where: this.#where }, names.map((n) => this.#outputRef(n)));
    return results.length === 1 ? results[0] : results;
  }

  /** {@link execute}, resolved as a promise, as tfjs' `executeAsync` (for code written for graphs with control flow). */
  async executeAsync(inputs: GraphInputs, outputs?: string | string[]): Promise<Tensor | Tensor[]> {
    return this.execute(inputs, outputs);
  }

  /** Frees the weights; the model cannot run afterwards. */
  dispose(): void {
    for (const t of this.#weights.values()) t.dispose();
    this.#disposed = true;
  }

  #outputRef(name: string): TensorRef {
    const signed = this.#signature.outputs?.[name] ?? this.#signature.inputs?.[name];
    const ref = parseInputName(signed ? signed.name : name).ref;
    if (!this.#nodes.has(ref.node)) {
      throw new Error(`${this.#where}: no node of the graph is named '${ref.node}' (asked for as output '${name}'). The model's outputs are ${JSON.stringify(this.outputNodes)}; an intermediate tensor goes by its node's name.`);
    }
    return ref;
  }

  /** The input tensors by node name, checked against the inputs' shapes and dtypes. */
  #feeds(inputs: GraphInputs): Map<string, Tensor> {
    const expected = this.inputNodes;
    let byName: [string, unknown][];
    if (inputs instanceof Tensor) {
      if (expected.length !== 1) throw new Error(`${this.#where} has ${expected.length} inputs, ${JSON.stringify(expected)}, but received one tensor. Pass a list in that order or an object by name.`);
      byName = [[expected[0], inputs]];
    } else if (Array.isArray(inputs)) {
      if (inputs.length !== expected.length) throw new Error(`${this.#where} takes ${expected.length} inputs, ${JSON.stringify(expected)}, but received a list of ${inputs.length}.`);
      byName = inputs.map((t, i) => [expected[i], t]);
    } else if (typeof inputs === 'object' && inputs !== null) byName = Object.entries(inputs);
    else throw new Error(`${this.#where}: inputs must be a km.Tensor, a list of them or an object of them by name (${JSON.stringify(expected)}). Received: ${inputs === null ? 'null' : typeof inputs}.`);
    const feeds = new Map<string, Tensor>();
    for (const [name, t] of byName) {
      const node = this.#inputNode(name);
      if (!(t instanceof Tensor)) throw new Error(`${this.#where}: input '${name}' must be a km.Tensor. Received: ${t === null ? 'null' : typeof t}.`);
      checkFeed(tensorInfo(node), t, name, this.#where);
      feeds.set(node.name, t);
    }
    return feeds;
  }

  #inputNode(name: string): GraphNode {
    const signed = this.#signature.inputs?.[name];
    const node = this.#nodes.get(parseInputName(signed ? signed.name : name).ref.node);
    if (!node) throw new Error(`${this.#where} has no input '${name}'. Its inputs are ${JSON.stringify(this.inputNodes)}.`);
    return node;
  }
}

/** Throws unless `t` fits the input's shape (-1 takes any size) and dtype. */
function checkFeed(info: GraphTensorInfo, t: Tensor, name: string, where: string): void {
  const fits = info.shape === undefined || (info.shape.length === t.rank && info.shape.every((d, i) => d < 0 || d === t.shape[i]));
  if (!fits) throw new Error(`${where}: input '${name}' must have shape [${info.shape!.join(', ')}] (-1: any size). Received: shape [${t.shape.join(', ')}].`);
  if (info.dtype !== undefined && info.dtype !== t.dtype) throw new Error(`${where}: input '${name}' must be ${info.dtype}. Received: ${t.dtype}; cast it with km.cast(x, '${info.dtype}').`);
}

function tensorInfo(node: GraphNode): GraphTensorInfo {
  const a = attrs(node);
  const dtype = a.dtype('dtype');
  return { name: node.name, shape: a.shape('shape'), dtype: dtype === 'float32' || dtype === 'int32' ? dtype : undefined };
}

/** Nodes no other node reads: a graph's outputs where model.json has no signature (as in tfjs). */
function leafNodes(nodes: ReadonlyMap<string, GraphNode>): GraphNode[] {
  const read = new Set([...nodes.values()].flatMap((n) => [...n.inputs.map((r) => r.node), ...n.controlInputs]));
  return [...nodes.values()].filter((n) => !read.has(n.name));
}

/** The Const nodes' values from the weights manifest, by node name; a Const without one is an error. */
function constWeights(nodes: ReadonlyMap<string, GraphNode>, artifacts: ModelArtifacts, where: string): Map<string, Tensor> {
  const decoded = decodeWeights(artifacts.weightSpecs ?? [], concatWeightData(artifacts.weightData), where);
  const byName = new Map(decoded.map((w) => [w.name, w]));
  const weights = new Map<string, Tensor>();
  for (const node of nodes.values()) {
    if (node.op !== 'Const') continue;
    const w = byName.get(node.name);
    if (!w) throw new Error(`${where}: Const node '${node.name}' has no weight in the weightsManifest. The weights file and model.json do not belong together; convert the model again.`);
    weights.set(node.name, new Tensor(w.values, w.shape, w.values instanceof Int32Array ? 'int32' : 'float32'));
  }
  return weights;
}
