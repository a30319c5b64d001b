import type { Backend, BufferId } from '../backend/backend.js';
import { modelInputIndex, type Graph } from './graph.js';
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
  /** Output buffer per node; layers that alias their input share their input's buffer. */
  readonly outputs: readonly BufferId[];
  /** Output-gradient buffer per node; 0 where no gradient flows (aliases of a model input). */
  readonly grads: readonly BufferId[];
  /** Scratch per node, kept from the forward to the backward pass (0 when the layer needs none). */
  readonly workspaces: readonly BufferId[];
  /** Per node: the mask its output carries, `[batch, steps]` (made by its source, shared along the layers that pass it on), or 0. */
  readonly masks: readonly BufferId[];
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
  readonly #owned: BufferId[] = [];

  constructor(backend: Backend, graph: Graph, batch: number, targetLengths: readonly number[], sparseTargets: readonly boolean[]) {
    this.batch = batch;
    this.inputs = graph.inputShapes.map((shape) => this.#alloc(backend, batch * shapeSize(shape), 'float32'));
    this.targetsList = targetLengths.map((length, k) => this.#alloc(backend, batch * length, sparseTargets[k] ? 'int32' : 'float32'));
    const isOutput = new Set(graph.outputs);
    const outputs: BufferId[] = [];
    const grads: BufferId[] = [];
    const aliased: boolean[] = [];
    graph.nodes.forEach((node, i) => {
      const source = node.inbound[0];
      const fromInput = modelInputIndex(source) >= 0;
      // Sharing a producer's gradient is only safe when nothing else writes it.
      const canAlias = node.layer.aliasesInput && (fromInput || (graph.consumers[source].length === 1 && !isOutput.has(source)));
      aliased.push(canAlias);
      if (canAlias) {
        outputs.push(fromInput ? this.inputs[modelInputIndex(source)] : outputs[source]);
        grads.push(fromInput ? 0 : grads[source]);
      } else {
        outputs.push(this.#alloc(backend, batch * shapeSize(node.outputShape), 'float32'));
        grads.push(this.#alloc(backend, batch * shapeSize(node.outputShape), 'float32'));
      }
    });
    this.outputs = outputs;
    this.grads = grads;
    this.aliased = aliased;
    this.workspaces = graph.nodes.map((node) => {
      const floats = node.layer.workspaceSize(batch);
      return floats > 0 ? this.#alloc(backend, floats, 'float32') : 0;
    });
    const masks: BufferId[] = [];
    graph.maskSources.forEach((source, i) => {
      const steps = shapeSize(graph.nodes[i].outputShape.slice(0, -1));
      masks.push(source === i ? this.#alloc(backend, batch * steps, 'float32') : source >= 0 ? masks[source] : 0);
    });
    this.masks = masks;
    this.gradRoutes = this.#routes(backend, graph, isOutput);
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

  #routes(backend: Backend, graph: Graph, isOutput: Set<number>): GradRoute[][] {
    // Outputs start with the loss gradient, so everything flowing into them accumulates.
    const written = graph.nodes.map((_, j) => isOutput.has(j));
    const routes: GradRoute[][] = graph.nodes.map(() => []);
    for (let i = graph.nodes.length - 1; i >= 0; i--) {
      const node = graph.nodes[i];
      routes[i] = node.inbound.map((j) => {
        if (j < 0 || this.aliased[i] || this.grads[j] === 0) return { write: 0, addInto: 0 };
        if (!written[j]) {
          written[j] = true;
          return { write: this.grads[j], addInto: 0 };
        }
        return { write: this.#alloc(backend, this.batch * shapeSize(graph.nodes[j].outputShape), 'float32'), addInto: this.grads[j] };
      });
    }
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

  /** Buffer feeding an `inbound` reference (a node or a model input). */
  inputOf(ref: number): BufferId {
    return ref < 0 ? this.inputs[modelInputIndex(ref)] : this.outputs[ref];
  }

  release(backend: Backend): void {
    for (const id of this.#owned) backend.free(id);
  }
}

/**
 * The plan for `batch` from `plans` (batch size to plan, least recently used first), made with
 * `make` when missing; only the `max` most recently used are kept, the others released.
 */
export function cachedPlan(plans: Map<number, BatchPlan>, batch: number, backend: Backend, max: number, make: () => BatchPlan): BatchPlan {
  let plan = plans.get(batch);
  if (plan) {
    // Map order is use order, so the eviction below drops the least recently used plan.
    plans.delete(batch);
    plans.set(batch, plan);
    return plan;
  }
  plan = make();
  plans.set(batch, plan);
  if (plans.size > max) {
    const [oldest, evicted] = plans.entries().next().value!;
    plans.delete(oldest);
    evicted.release(backend);
  }
  return plan;
}
