import type { Backend, BufferId } from '../backend/backend.js';
import { explicitMaskInputs, inboundShape, inboundTensor, inputCount, modelInputIndex, outputShapesOf, type Graph } from './graph.js';
import { shapeSize } from '../tensor.js';

/**
 * Where one input slot of a node writes its gradient in the backward pass. Layers overwrite the
 * gradients they write, so at fan-out only the first writer (in backward order) writes the
 * producer's gradient directly; every other one writes its own buffer, which the engine adds in.
 */
export interface GradRoute {
  /** The buffer the layer writes (0 when no gradient is needed). */
  readonly write: BufferId;
  /** When not 0, the producer's gradient that `write` is added into after the layer ran. */
  readonly addInto: BufferId;
}

/**
 * The backend buffers one batch size needs: the input batches, the targets, each node's output,
 * output gradient and workspace. Made once per batch size and reused, so a training step
 * allocates nothing.
 */
export class BatchPlan {
  readonly batch: number;
  /** One buffer per model input. */
  readonly inputs: readonly BufferId[];
  /** One target buffer per model output. */
  readonly targetsList: readonly BufferId[];
  /** Output buffer per node (its first output); layers that alias their input share their input's buffer. */
  readonly outputs: readonly BufferId[];
  /** Output-gradient buffer per node (its first output); 0 where no gradient flows (aliases of a model input). */
  readonly grads: readonly BufferId[];
  /**
   * Per model input, the buffer its gradient accumulates in, for a plan made with input gradients
   * (a model applied inside a gradient call to an input that depends on its arguments); else empty.
   */
  readonly inputGrads: readonly BufferId[];
  /** Per node, one buffer per output (a layer with several outputs, e.g. an RNN's states); `outputs[i]` is the first. */
  readonly nodeOutputs: readonly (readonly BufferId[])[];
  /** Per node, one gradient buffer per output; `grads[i]` is the first. */
  readonly nodeGrads: readonly (readonly BufferId[])[];
  /** Output gradients nothing writes (an output of a multi-output layer that nothing reads): zeroed before each backward pass. */
  readonly unreadGrads: readonly { readonly id: BufferId; readonly length: number }[];
  /** Scratch per node, kept from the forward to the backward pass (0 when the layer needs none). */
  readonly workspaces: readonly BufferId[];
  /** Per node: the mask its output carries, `[batch, steps]` (made by its source, shared along the layers that pass it on), or 0. */
  readonly masks: readonly BufferId[];
  /** Per node and input, the 0/1 copy of the mask given to it explicitly (`apply(x, { mask })`), written before it runs; undefined for an input given none. */
  readonly explicitMasks: readonly (readonly (BufferId | undefined)[])[];
  /** Whether the node's layer runs no kernels because it shares its input's buffers. */
  readonly aliased: readonly boolean[];
  /** Per node, per input slot: where the backward pass writes that input's gradient. */
  readonly gradRoutes: readonly (readonly GradRoute[])[];
  /**
   * Per node: where its layer writes its weight gradients instead of the model's gradient buffers
   * (empty: it writes them directly). A shared layer's last node, the first to run backward,
   * writes directly; its other nodes write these buffers, which the engine adds in, so the weights
   * get the sum over every call while layers keep overwriting what they write.
   */
  readonly weightGradScratch: readonly (readonly BufferId[])[];
  /** Per node: whether its layer has trainable weights, whose gradients the backward pass must compute. */
  readonly trainsWeights: readonly boolean[];
  /**
   * Per node: whether its backward runs, because it or a node it reads from (at any distance) has
   * trainable weights. A frozen base's nodes are skipped, as tfjs and TensorFlow prune their tapes.
   */
  readonly backwardNeeded: readonly boolean[];
  readonly #owned: BufferId[] = [];

  /**
   * @param inputGradients Whether the backward pass also gives the gradients of the model inputs
   * (in {@link inputGrads}): then every node's backward runs, and no node aliases a model input.
   */
  constructor(backend: Backend, graph: Graph, batch: number, targetLengths: readonly number[], sparseTargets: readonly boolean[], inputGradients = false) {
    this.batch = batch;
    this.inputs = graph.inputShapes.map((shape) => this.#alloc(backend, batch * shapeSize(shape), 'float32'));
    this.inputGrads = inputGradients ? graph.inputShapes.map((shape) => this.#alloc(backend, batch * shapeSize(shape), 'float32')) : [];
    this.targetsList = targetLengths.map((length, k) => this.#alloc(backend, batch * length, sparseTargets[k] ? 'int32' : 'float32'));
    const isOutput = new Set(graph.outputs);
    const outputs: BufferId[][] = [];
    const grads: BufferId[][] = [];
    const aliased: boolean[] = [];
    graph.nodes.forEach((node, i) => {
      const source = node.inbound[0];
      const fromInput = modelInputIndex(source) >= 0;
      const tensor = inboundTensor(node, 0);
      // Sharing a producer's gradient is only safe when nothing else writes it.
      // A node given masks explicitly runs, to write them (see `explicitMasks`).
      const canAlias = node.layer.aliasesInput && !node.masks && (fromInput ? !inputGradients : graph.consumers[source].length === 1 && !isOutput.has(source));
      aliased.push(canAlias);
      if (canAlias) {
        outputs.push([fromInput ? this.inputs[modelInputIndex(source)] : outputs[source][tensor]]);
        grads.push([fromInput ? 0 : grads[source][tensor]]);
      } else {
        const sizes = outputShapesOf(node).map((shape) => batch * shapeSize(shape));
        outputs.push(sizes.map((size) => this.#alloc(backend, size, 'float32')));
        grads.push(sizes.map((size) => this.#alloc(backend, size, 'float32')));
      }
    });
    this.nodeOutputs = outputs;
    this.nodeGrads = grads;
    this.outputs = outputs.map((list) => list[0]);
    this.grads = grads.map((list) => list[0]);
    this.aliased = aliased;
    this.workspaces = graph.nodes.map((node) => {
      const floats = node.layer.workspaceSize(batch);
      if (floats === 0) return 0;
      const workspace = this.#alloc(backend, floats, 'float32');
      node.layer.initWorkspace(backend, workspace, batch);
      return workspace;
    });
    // Per input of a node given masks: its explicit mask's buffer, or undefined where none was given for it (it keeps its own).
    this.explicitMasks = graph.nodes.map((node) => {
      const first = inputCount(node);
      const perInput: (BufferId | undefined)[] = [];
      explicitMaskInputs(node).forEach((input, k) => (perInput[input] = this.#alloc(backend, batch * shapeSize(inboundShape(graph, node, first + k)), 'float32')));
      return perInput;
    });
    const masks: BufferId[] = [];
    graph.maskSources.forEach((source, i) => {
      const steps = shapeSize(graph.nodes[i].outputShape.slice(0, -1));
      // A node given a mask explicitly passes that one on; one that makes its output's mask writes a buffer of its own.
      const given = graph.nodes[i].layer.producesMask ? 0 : (this.explicitMasks[i][0] ?? 0);
      const own = () => given || this.#alloc(backend, batch * steps, 'float32');
      masks.push(source === i ? own() : source >= 0 ? masks[source] : 0);
    });
    this.masks = masks;
    this.trainsWeights = graph.nodes.map((node) => node.layer.weightSpecs.some((spec) => spec.trainable));
    // Nodes are in topological order: each one's inbound nodes come before it.
    const needed: boolean[] = [];
    graph.nodes.forEach((node, i) => needed.push(inputGradients || this.trainsWeights[i] || node.inbound.some((j) => j >= 0 && needed[j])));
    this.backwardNeeded = needed;
    const unread: { id: BufferId; length: number }[] = [];
    this.gradRoutes = this.#routes(backend, graph, unread);
    this.unreadGrads = unread;
    this.weightGradScratch = this.#weightGradScratch(backend, graph);
  }

  #weightGradScratch(backend: Backend, graph: Graph): BufferId[][] {
    const scratch = graph.nodes.map((): BufferId[] => []);
    for (const layer of graph.layers) {
      const nodes = graph.nodesOf(layer);
      if (nodes.length < 2 || layer.weightSpecs.length === 0) continue;
      // One set serves all of the layer's other nodes: each is added in right after its backward.
      const buffers = layer.weightSpecs.map((spec) => this.#alloc(backend, shapeSize(spec.shape), 'float32'));
      for (const i of nodes.slice(0, -1)) scratch[i] = buffers;
    }
    return scratch;
  }

  #routes(backend: Backend, graph: Graph, unread: { id: BufferId; length: number }[]): GradRoute[][] {
    // Per node and output: whether a gradient is written there. Outputs start with the loss
    // gradient, so everything flowing into them accumulates.
    const written = graph.nodes.map((node) => outputShapesOf(node).map(() => false));
    graph.outputs.forEach((j, k) => (written[j][graph.outputTensors[k]] = true));
    const routes: GradRoute[][] = graph.nodes.map(() => []);
    const inputWritten = this.inputGrads.map(() => false);
    for (let i = graph.nodes.length - 1; i >= 0; i--) {
      const node = graph.nodes[i];
      routes[i] = node.inbound.map((j, slot) => {
        if (slot >= inputCount(node)) return { write: 0, addInto: 0 };
        // A model input's gradient, where the plan gives them, gathers over the nodes that read it.
        const k = modelInputIndex(j);
        if (k >= 0 && this.inputGrads.length > 0) {
          if (inputWritten[k]) return { write: this.#alloc(backend, this.batch * shapeSize(graph.inputShapes[k]), 'float32'), addInto: this.inputGrads[k] };
          inputWritten[k] = true;
          return { write: this.inputGrads[k], addInto: 0 };
        }
        // A model input, or a node whose backward is skipped: nothing reads the gradient. A mask has none.
        if (j < 0 || !this.backwardNeeded[j]) return { write: 0, addInto: 0 };
        const t = inboundTensor(node, slot);
        const grad = this.nodeGrads[j][t];
        // An alias shares its producer's gradient buffer, which its consumers write.
        if (this.aliased[i] || grad === 0) {
          written[j][t] = true;
          return { write: 0, addInto: 0 };
        }
        if (!written[j][t]) {
          written[j][t] = true;
          return { write: grad, addInto: 0 };
        }
        return { write: this.#alloc(backend, this.batch * shapeSize(outputShapesOf(graph.nodes[j])[t]), 'float32'), addInto: grad };
      });
    }
    written.forEach((list, j) => list.forEach((done, t) => {
      const id = this.nodeGrads[j][t];
      if (!done && id !== 0 && !this.aliased[j] && this.backwardNeeded[j]) unread.push({ id, length: this.batch * shapeSize(outputShapesOf(graph.nodes[j])[t]) });
    }));
    return routes;
  }

  #alloc(backend: Backend, length: number, dtype: 'float32' | 'int32'): BufferId {
    const id = backend.alloc(length, dtype);
    this.#owned.push(id);
    return id;
  }

  /**
   * A buffer released with the plan, for per-batch-size buffers kept outside it (the loss
   * weights of masked or weighted outputs), so that they too are made once per batch size.
   */
  own(backend: Backend, length: number, dtype: 'float32' | 'int32' = 'float32'): BufferId {
    return this.#alloc(backend, length, dtype);
  }

  /** The first model input's buffer. */
  get input(): BufferId {
    return this.inputs[0];
  }

  /** The first model output's target buffer. */
  get targets(): BufferId {
    return this.targetsList[0];
  }

  /** Buffer feeding an `inbound` reference (a node's output `tensor`, or a model input). */
  inputOf(ref: number, tensor = 0): BufferId {
    return ref < 0 ? this.inputs[modelInputIndex(ref)] : this.nodeOutputs[ref][tensor];
  }

  /** The buffer and gradient buffer of model output `k`. */
  modelOutput(graph: Graph, k: number): { output: BufferId; grad: BufferId } {
    const [node, tensor] = [graph.outputs[k], graph.outputTensors[k]];
    return { output: this.nodeOutputs[node][tensor], grad: this.nodeGrads[node][tensor] };
  }

  release(backend: Backend): void {
    for (const id of this.#owned) backend.free(id);
  }
}

/**
 * The plan under `key` (a batch size, or what else tells plans apart) from `plans` (least recently
 * used first), made with `make` when missing; only the `max` most recently used are kept, the others released.
 */
export function cachedPlan<K>(plans: Map<K, BatchPlan>, key: K, backend: Backend, max: number, make: () => BatchPlan): BatchPlan {
  let plan = plans.get(key);
  if (plan) {
    // Map order is use order, so the eviction below drops the least recently used plan.
    plans.delete(key);
    plans.set(key, plan);
    return plan;
  }
  plan = make();
  plans.set(key, plan);
  if (plans.size > max) {
    const [oldest, evicted] = plans.entries().next().value!;
    plans.delete(oldest);
    evicted.release(backend);
  }
  return plan;
}
