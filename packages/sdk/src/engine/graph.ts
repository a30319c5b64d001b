import type { Layer, Shape } from '../layers/layer.js';
import { formatShape } from '../layers/layer_shapes.js';
import { sameShape, shapeSize } from '../tensor.js';
import { maskFlow } from './masks.js';
import type { ModelApplication } from './symbolic.js';
import { bindLayers, reshapedNodes } from './graph_reshape.js';
import { checkUnknownInput } from './unknown_input_check.js';
import { shownShape, tracedAtProbe, unknownOutputAxes, type SampleShape } from './unknown_dims.js';

/** Index of the (first) model input in a node's `inbound` list; input k is `-(k + 1)`. */
export const MODEL_INPUT = -1;

/** The `inbound` index of model input `k`. */
export function modelInputRef(k: number): number {
  return -(k + 1);
}

/** Which model input an `inbound` index names, or -1 when it names a node. */
export function modelInputIndex(ref: number): number {
  return ref < 0 ? -ref - 1 : -1;
}

/**
 * One application of a layer, reading the outputs of earlier nodes (or model inputs). A layer
 * applied several times (a shared layer) has one node per call, all using its one set of weights.
 */
export interface GraphNode {
  readonly layer: Layer;
  readonly inbound: readonly number[];
  /** The shape of the node's first (usually only) output. */
  readonly outputShape: Shape;
  /** Every output's shape, for a layer with several outputs (an RNN with returnState); absent: `[outputShape]`. */
  readonly outputShapes?: readonly Shape[];
  /** Per inbound slot, which output of that node it reads (Keras' tensor index); absent: output 0 everywhere. */
  readonly inboundTensors?: readonly number[];
  /** The mode the call always runs in (applied with `{ training }`); absent: the pass's. */
  readonly training?: boolean;
  /** The application of a model inside this one that the call belongs to, if any (what the summary shows as one row). */
  readonly via?: ModelApplication;
  /** Per output, the axes whose size follows a model input's unknown dimension (see unknown_dims.ts); absent: none. */
  readonly unknownAxes?: readonly (readonly number[])[];
  /**
   * How many of the last inbound slots are masks given explicitly (`apply(x, { mask })`): the masks
   * of the first inputs, which the layer reads instead of any they carry. Absent: none.
   */
  readonly masks?: number;
  /**
   * The input each explicit mask is for, where a list gave some input none (an attention layer's
   * `[null, valueMask]`, Keras' `[None, value_mask]`): that input keeps the mask it carries, if any.
   * Absent: the first `masks` inputs, in order.
   */
  readonly maskedInputs?: readonly number[];
}

/** Output `tensor` of node `node`, or model input `k` as `[modelInputRef(k), 0]`. */
export type TensorRef = readonly [node: number, tensor: number];

/** Where a model applied inside this graph reads and writes its tensors. */
export interface ApplicationEnds {
  /** What each of the model's inputs reads, in its input order. */
  readonly inputs: readonly TensorRef[];
  /** Each of the model's outputs, in order: where it is in this graph (null: nothing here reads it) and its shape. */
  readonly outputs: readonly { readonly ref: TensorRef | null; readonly shape: Shape }[];
  /** The mask given for each of its inputs (`model.apply(x, { mask })`), null for one given none; absent: none. */
  readonly masks?: readonly (TensorRef | null)[];
}

/** Every output shape of a node. */
export function outputShapesOf(node: GraphNode): readonly Shape[] {
  return node.outputShapes ?? [node.outputShape];
}

/** How many of the node's inbound slots are its inputs, the explicit masks after them left out. */
export function inputCount(node: GraphNode): number {
  return node.inbound.length - (node.masks ?? 0);
}

/**
 * The input each of the node's explicit masks is for, in the order they follow its inputs; the
 * others keep the masks they carry, if any.
 */
export function explicitMaskInputs(node: { readonly masks?: number; readonly maskedInputs?: readonly number[] }): readonly number[] {
  return node.maskedInputs ?? Array.from({ length: node.masks ?? 0 }, (_, k) => k);
}

/** The per-sample shape of what the node's inbound slot reads (a model input or a node's output). */
export function inboundShape(graph: Graph, node: GraphNode, slot: number): Shape {
  const ref = node.inbound[slot];
  return ref < 0 ? graph.inputShapes[modelInputIndex(ref)] : outputShapesOf(graph.nodes[ref])[inboundTensor(node, slot)];
}

/** Which output of its producer the node's inbound slot reads. */
export function inboundTensor(node: GraphNode, slot: number): number {
  return node.inboundTensors?.[slot] ?? 0;
}

/**
 * A model's layers as a directed acyclic graph in topological order. Sequential models are the
 * chain case; the functional API builds general graphs (several inputs, outputs, fan-out).
 */
export class Graph {
  /** Each model input's sample shape; an unknown dimension has the size of the data this graph runs, or the probe size. */
  readonly inputShapes: readonly Shape[];
  /** Per model input, the axes whose size is unknown (null, Keras' None); empty for every input of most models. */
  readonly inputUnknownAxes: readonly (readonly number[])[];
  /** Names of the model inputs, for messages and summaries. */
  readonly inputNames: readonly string[];
  readonly nodes: readonly GraphNode[];
  /** Node indices of the model outputs, in order. */
  readonly outputs: readonly number[];
  /** Per model output, which output of its node it is (0 but for a layer with several outputs). */
  readonly outputTensors: readonly number[];
  /**
   * The key of each model output when the model was given its outputs as an object (Keras 3's
   * dict outputs, `km.model({ inputs, outputs: { digit, parity } })`), in output order; else null.
   */
  readonly outputKeys: readonly string[] | null;
  /** For each node, the nodes that read its output (in topological order). */
  readonly consumers: readonly number[][];
  /** The distinct layers, in the order of their first node (a shared layer appears once). */
  readonly layers: readonly Layer[];
  /** For each node, which call of its layer it is, counting in node order (Keras' node index). */
  readonly callIndex: readonly number[];
  /** For each node, the node whose mask its output carries (itself for a mask source), or -1. */
  readonly maskSources: readonly number[];
  /** The nodes whose mask is the logical AND of their inputs' different masks, with those masks' source nodes. */
  readonly maskMerges: ReadonlyMap<number, readonly number[]>;
  /** Per application of a model inside this one (the `via` of its nodes), its inputs and outputs here. */
  readonly applications: ReadonlyMap<ModelApplication, ApplicationEnds>;

  private constructor(inputShapes: readonly Shape[], inputNames: readonly string[], nodes: GraphNode[], outputs: number[], outputTensors: readonly number[] = outputs.map(() => 0), applications: ReadonlyMap<ModelApplication, ApplicationEnds> = new Map(), outputKeys: readonly string[] | null = null, inputUnknownAxes: readonly (readonly number[])[] = inputShapes.map(() => [])) {
    this.inputShapes = inputShapes;
    this.inputUnknownAxes = inputUnknownAxes;
    this.outputKeys = outputKeys;
    this.inputNames = inputNames;
    this.nodes = nodes;
    this.outputs = outputs;
    this.outputTensors = outputTensors;
    this.consumers = nodes.map(() => []);
    nodes.forEach((node, i) => node.inbound.forEach((j) => j >= 0 && this.consumers[j].push(i)));
    const calls = new Map<Layer, number>();
    this.callIndex = nodes.map((node) => {
      const k = calls.get(node.layer) ?? 0;
      calls.set(node.layer, k + 1);
      return k;
    });
    this.layers = [...calls.keys()];
    const masks = maskFlow(nodes);
    this.maskSources = masks.sources;
    this.maskMerges = masks.merges;
    this.applications = applications;
  }

  /** The node indices where `layer` is applied, in node order. */
  nodesOf(layer: Layer): number[] {
    return this.nodes.flatMap((node, i) => (node.layer === layer ? [i] : []));
  }

  /**
   * Builds each layer in order, inferring shapes; errors name the layer that rejects its input.
   * `inputUnknownAxes` are the input's axes of unknown size, at the probe size in `inputShape`.
   */
  static chain(layers: readonly Layer[], inputShape: Shape, vias: readonly (ModelApplication | undefined)[] = [], inputUnknownAxes: readonly number[] = [], inputName = 'input'): Graph {
    if (layers.length === 0) throw new Error('A model needs at least one layer. Add layers with model.add(...) or km.sequential([...]).');
    const nodes: GraphNode[] = [];
    let shape = inputShape;
    let unknown = inputUnknownAxes;
    layers.forEach((layer, i) => {
      const declared = layer.declaredInputShape;
      // A later layer declares one when it was a stacked model's first: it must be the shape it gets.
      if (i > 0 && declared && !sameShape(declared, shownShape(shape, unknown))) {
        throw new Error(`Layer '${layer.name}' declares inputShape ${formatShape(declared)}, but the layer before it, '${layers[i - 1].name}', outputs ${formatShape(shownShape(shape, unknown))}. Remove inputShape from it (only the first layer of a sequential model needs one), or make the shapes agree.`);
      }
      const outputShapes = tracedAtProbe([unknown], () => layer.computeOutputShapes([shape]));
      if (outputShapes.length > 1) {
        throw new Error(`Layer '${layer.name}' (${layer.className}) has ${outputShapes.length} outputs (e.g. an RNN with returnState), but every layer of a sequential model must have one, as in TensorFlow.js. Build the model with the functional API (const [output, ...states] = layer.apply(x); km.model({ inputs, outputs })), or drop returnState.`);
      }
      const outputShape = outputShapes[0];
      tracedAtProbe([unknown], () => layer.ensureBuilt([shape]));
      const via = vias[i];
      const unknownAxes = tracedAtProbe([unknown], () => unknownOutputAxes(layer, [shape], [unknown], outputShapes));
      nodes.push({ layer, inbound: [i === 0 ? MODEL_INPUT : i - 1], outputShape, ...(via ? { via } : {}), ...unknownAxesField(unknownAxes) });
      shape = outputShape;
      unknown = unknownAxes[0];
    });
    // A stacked model's layers are consecutive: it reads the node before its first and ends at its last.
    const applications = new Map<ModelApplication, ApplicationEnds>();
    nodes.forEach((node, i) => {
      if (!node.via) return;
      const known = applications.get(node.via);
      const start = known ? known.inputs[0] : ([i === 0 ? MODEL_INPUT : i - 1, 0] as const);
      applications.set(node.via, { inputs: [start], outputs: [{ ref: [i, 0], shape: node.outputShape }] });
    });
    return new Graph([inputShape], [inputName], nodes, [nodes.length - 1], undefined, applications, null, [inputUnknownAxes]);
  }

  /**
   * A general graph from nodes whose layers are already built. Nodes may come in any order; they
   * are sorted topologically, and a cycle is an error naming the layers on it.
   */
  static fromNodes(
    inputShapes: readonly Shape[],
    inputNames: readonly string[],
    nodes: readonly GraphNode[],
    outputs: readonly number[],
    outputTensors?: readonly number[],
    applications: ReadonlyMap<ModelApplication, ApplicationEnds> = new Map(),
    outputKeys: readonly string[] | null = null,
    inputUnknownAxes?: readonly (readonly number[])[],
  ): Graph {
    const order = topologicalOrder(nodes);
    const position = new Map(order.map((old, i) => [old, i]));
    const remap = (ref: number) => (ref < 0 ? ref : position.get(ref)!);
    const sorted = order.map((old) => ({ ...nodes[old], inbound: nodes[old].inbound.map(remap) }));
    const moved = (ref: TensorRef): TensorRef => [remap(ref[0]), ref[1]];
    const ends = new Map([...applications].map(([via, { inputs, outputs: outs, masks }]) => [
      via, { inputs: inputs.map(moved), outputs: outs.map((o) => ({ ref: o.ref && moved(o.ref), shape: o.shape })), ...(masks ? { masks: masks.map((m) => m && moved(m)) } : {}) },
    ]));
    return new Graph(inputShapes, inputNames, sorted, outputs.map(remap), outputTensors, ends, outputKeys, inputUnknownAxes);
  }

  /** Whether a model input leaves a dimension's size to the data (Keras' None). */
  get hasUnknownDims(): boolean {
    return this.inputUnknownAxes.some((axes) => axes.length > 0);
  }

  /**
   * This graph for inputs of other sizes on their unknown axes: every layer rebound to the shapes
   * its call gets (`Layer.rebind`), and each node's output shapes inferred again.
   */
  withInputShapes(inputShapes: readonly Shape[]): Graph {
    const { nodes, applications } = reshapedNodes(this, inputShapes);
    return new Graph(inputShapes, this.inputNames, nodes, [...this.outputs], this.outputTensors, applications, this.outputKeys, this.inputUnknownAxes);
  }

  /** Rebinds every layer to the shapes its call gets here, where another graph over the same layers had bound them to other sizes. */
  bind(): void {
    if (this.hasUnknownDims) bindLayers(this);
  }

  /** Model input `k`'s sample shape as users see it: null at its unknown axes. */
  shownInputShape(k: number): SampleShape {
    return shownShape(this.inputShapes[k], this.inputUnknownAxes[k]);
  }

  /** Output `tensor` of node `node` as users see it: null at the axes that follow an unknown input dimension. */
  shownOutputShape(node: number, tensor = 0): SampleShape {
    const at = this.nodes[node];
    return shownShape(outputShapesOf(at)[tensor], at.unknownAxes?.[tensor] ?? []);
  }

  /** Shape of model output `k` (one sample). */
  modelOutputShape(k: number): Shape {
    return outputShapesOf(this.nodes[this.outputs[k]])[this.outputTensors[k]];
  }

  /** Whether every node reads only the one before it (a Sequential model's shape). */
  get isChain(): boolean {
    return this.inputShapes.length === 1 && this.outputs.length === 1 && this.outputTensors[0] === 0 && this.nodes.every((n) => outputShapesOf(n).length === 1) && this.nodes.every((n, i) => n.inbound.length === 1 && n.inbound[0] === (i === 0 ? MODEL_INPUT : i - 1));
  }

  /** Shape of the first model input. */
  get inputShape(): Shape {
    return this.inputShapes[0];
  }

  /** Shape of the first model output. */
  get outputShape(): Shape {
    return this.modelOutputShape(0);
  }

  /** The node of the first model output. */
  get outputNode(): GraphNode {
    return this.nodes[this.outputs[0]];
  }

  /** Checks a data tensor's per-sample shape against model input `k`. */
  checkInput(shape: readonly number[], what: string, k = 0): void {
    const expected = this.inputShapes[k];
    const sample = shape.slice(1);
    if (this.inputUnknownAxes[k].length > 0) return checkUnknownInput(this, sample, shape, what, k);
    // A column of one value per sample, [n], feeds an input of shape [1], as Keras 3 and tfjs expand it.
    if (sameShape(sample, expected) || (sample.length === 0 && sameShape(expected, [1]))) return;
    const firstNode = this.nodes.find((n) => n.inbound.includes(modelInputRef(k)));
    const first = firstNode?.layer;
    const flat = shapeSize(sample);
    const expectedFlat = shapeSize(expected);
    const reshape = `${what}.reshape([-1, ${expected.join(', ')}])`;
    // A layer that changes the sample shape only makes sense for samples with axes of their own.
    const hint =
      flat !== expectedFlat
        ? shape.length === expected.length && shapeSize(shape) === expectedFlat
          ? ` It looks like one sample without the batch axis: reshape it with ${what}.reshape([1, ${expected.join(', ')}]).`
          : ` Give ${what} the shape [n, ${expected.join(', ')}].`
        : sample.length === 0
          ? ` Reshape ${what} with ${reshape}: one sample per row.`
          : expected.length === 1
            ? ` Add km.layers.flatten({ inputShape: [${sample.join(', ')}] }) as the first layer, or reshape ${what} with ${reshape}.`
            : ` Reshape ${what} with ${reshape}, or start the model with km.layers.reshape({ targetShape: [${expected.join(', ')}], inputShape: [${sample.join(', ')}] }).`;
    const who = first ? `layer '${first.name}' (${first.className})` : `model input '${this.inputNames[k]}'`;
    // Same rank, other sizes: sequences of another length, which a dimension declared null takes.
    const free = sample.length === expected.length && sample.length > 1 ? expected.map((d, axis) => (d === sample[axis] ? d : null)) : null;
    const anySize = free ? ` For inputs of any size on the dimensions that differ, declare them null (Keras' None): inputShape ${JSON.stringify(free)} on the first layer, km.input({ shape: ${JSON.stringify(free)} }), or model.build(${JSON.stringify([null, ...free])}).` : '';
    throw new Error(`Input of ${who} expects shape ${formatShape(expected)}, but ${what} has shape [${shape.join(', ')}].${hint}${anySize}`);
  }
}

/** A node's `unknownAxes` field: present only where some output has unknown axes. */
export function unknownAxesField(unknownAxes: readonly (readonly number[])[]): { unknownAxes?: readonly (readonly number[])[] } {
  return unknownAxes.some((axes) => axes.length > 0) ? { unknownAxes } : {};
}

/** Depth-first topological order of node indices; throws naming the layers of a cycle. */
function topologicalOrder(nodes: readonly GraphNode[]): number[] {
  const state = new Uint8Array(nodes.length); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  const stack: number[] = [];
  const visit = (i: number): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) {
      const cycle = [...stack.slice(stack.indexOf(i)), i].map((j) => `'${nodes[j].layer.name}'`);
      throw new Error(`The model graph has a cycle: ${cycle.join(' -> ')}. A layer cannot consume its own output, directly or through other layers; rebuild the graph so every path goes from the inputs to the outputs.`);
    }
    state[i] = 1;
    stack.push(i);
    for (const j of nodes[i].inbound) if (j >= 0) visit(j);
    stack.pop();
    state[i] = 2;
    order.push(i);
  };
  nodes.forEach((_, i) => visit(i));
  return order;
}
