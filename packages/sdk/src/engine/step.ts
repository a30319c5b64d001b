import type { Backend } from '../backend/backend.js';
import type { Graph } from './graph.js';
import type { ParamStore } from './params.js';
import type { BatchPlan } from './plan.js';

/** Everything one forward or backward pass needs. */
export interface PassContext {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly params: ParamStore;
  readonly plan: BatchPlan;
  readonly training: boolean;
  /** Whether the output layer leaves its softmax to a fused softmax-cross-entropy loss. */
  readonly deferSoftmax: boolean;
}

function nodeContext(ctx: PassContext, index: number) {
  const node = ctx.graph.nodes[index];
  return {
    backend: ctx.backend,
    batch: ctx.plan.batch,
    inputs: node.inbound.map((i) => ctx.plan.inputOf(i)),
    output: ctx.plan.outputs[index],
    weights: ctx.params.weightsOf(node.layer),
    training: ctx.training,
    deferSoftmax: ctx.deferSoftmax && index === ctx.graph.nodes.length - 1,
  };
}

/** Runs every node's forward kernels in topological order. */
export function forwardPass(ctx: PassContext): void {
  for (let i = 0; i < ctx.graph.nodes.length; i++) {
    ctx.graph.nodes[i].layer.forward(nodeContext(ctx, i));
  }
}

/**
 * Runs backward kernels in reverse order, from the output gradient already in the plan.
 * Sequential chains have no fan-out, so each gradient buffer is written once.
 */
export function backwardPass(ctx: PassContext): void {
  for (let i = ctx.graph.nodes.length - 1; i >= 0; i--) {
    const node = ctx.graph.nodes[i];
    node.layer.backward({
      ...nodeContext(ctx, i),
      outputGrad: ctx.plan.grads[i],
      inputGrads: node.inbound.map((j) => ctx.plan.inputGradOf(j)),
      weightGrads: ctx.params.gradsOf(node.layer),
    });
  }
}
