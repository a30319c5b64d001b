import type { Backend, BufferId } from '../backend/backend.js';
import { MODEL_INPUT, type Graph } from './graph.js';

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The backend buffers one batch size needs: the input batch, the targets, each node's output and
 * output gradient. Made once per batch size and reused, so a training step allocates nothing.
 */
export class BatchPlan {
  readonly batch: number;
  readonly input: BufferId;
  readonly targets: BufferId;
  /** Output buffer per node; layers that alias their input share their input's buffer. */
  readonly outputs: readonly BufferId[];
  /** Output-gradient buffer per node; 0 where no gradient flows (the model input). */
  readonly grads: readonly BufferId[];
  readonly #owned: BufferId[] = [];

  constructor(backend: Backend, graph: Graph, batch: number, targetLength: number, sparseTargets: boolean) {
    this.batch = batch;
    this.input = this.#alloc(backend, batch * size(graph.inputShape), 'float32');
    this.targets = this.#alloc(backend, batch * targetLength, sparseTargets ? 'int32' : 'float32');
    const outputs: BufferId[] = [];
    const grads: BufferId[] = [];
    const source = (i: number, list: BufferId[], modelInput: BufferId): BufferId => (i === MODEL_INPUT ? modelInput : list[i]);
    for (const node of graph.nodes) {
      if (node.layer.aliasesInput) {
        outputs.push(source(node.inbound[0], outputs, this.input));
        grads.push(source(node.inbound[0], grads, 0));
      } else {
        outputs.push(this.#alloc(backend, batch * size(node.outputShape), 'float32'));
        grads.push(this.#alloc(backend, batch * size(node.outputShape), 'float32'));
      }
    }
    this.outputs = outputs;
    this.grads = grads;
  }

  #alloc(backend: Backend, length: number, dtype: 'float32' | 'int32'): BufferId {
    const id = backend.alloc(length, dtype);
    this.#owned.push(id);
    return id;
  }

  /** Buffer feeding input `i` of a node. */
  inputOf(i: number): BufferId {
    return i === MODEL_INPUT ? this.input : this.outputs[i];
  }

  /** Gradient buffer of input `i` of a node, 0 for the model input. */
  inputGradOf(i: number): BufferId {
    return i === MODEL_INPUT ? 0 : this.grads[i];
  }

  release(backend: Backend): void {
    for (const id of this.#owned) backend.free(id);
  }
}
