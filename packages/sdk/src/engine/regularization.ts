import type { Backend, BufferId, Scalar } from '../backend/backend.js';
import { applyConstraint } from '../constraints/constraints.js';
import type { BatchPlan } from './plan.js';
import type { Graph } from './graph.js';
import type { ParamStore } from './params.js';
import { shapeSize } from '../tensor.js';
import type { WeightSpec } from '../layers/layer_context.js';
import type { NodeTerm } from './last_call_losses.js';

/**
 * Σ of the weight penalties of every trainable weight (Keras 3 leaves frozen layers' out); with
 * `withGradients` also adds each penalty's gradient to the weight gradients (call after the
 * backward pass has written them). Empty when no layer has a regularizer, so unregularized models
 * pay nothing.
 */
export function regularizationPenalty(backend: Backend, graph: Graph, params: ParamStore, withGradients: boolean): Scalar[] {
  const terms: Scalar[] = [];
  // Per layer, not per node: a shared layer's weights are penalized once.
  for (const layer of graph.layers) {
    const regularizers = layer.weightRegularizers;
    if (regularizers.length === 0) continue;
    const weights = params.weightsOf(layer);
    const grads = params.gradsOf(layer);
    regularizers.forEach((r, i) => {
      if (!r || (r.l1 === 0 && r.l2 === 0) || !layer.weightSpecs[i].trainable) return;
      const size = shapeSize(layer.weightSpecs[i].shape);
      terms.push(backend.regularize(weights[i], withGradients ? grads[i] : 0, size, r.l1, r.l2));
    });
  }
  return terms;
}

/**
 * The batch's loss sum plus the penalty once per sample (Keras adds it to each batch's mean loss);
 * a number when every term is one, so a step on the wasm backend awaits nothing.
 */
export function withPenalty(lossSum: Scalar, penalty: readonly Scalar[], samples: number): Scalar {
  if (typeof lossSum !== 'number' || penalty.some((term) => typeof term !== 'number')) return withPenaltyAsync(lossSum, penalty, samples);
  let total = lossSum;
  for (const term of penalty) total += (term as number) * samples;
  return total;
}

async function withPenaltyAsync(lossSum: Scalar, penalty: readonly Scalar[], samples: number): Promise<number> {
  let total = await lossSum;
  for (const term of penalty) total += (await term) * samples;
  return total;
}

/**
 * The activity penalty of node `index` (l1·Σ|y| + l2·Σy² over the batch's outputs, added to the
 * batch's mean loss as Keras 3 does), or null when the layer has none. With `grad` (the node's
 * output gradient, complete once every consumer's backward has run) also adds its gradient there.
 */
export function activityPenalty(backend: Backend, graph: Graph, plan: BatchPlan, index: number, grad: BufferId): Scalar | null {
  const r = graph.nodes[index].layer.activityRegularizer;
  if (!r || (r.l1 === 0 && r.l2 === 0) || plan.aliased[index]) return null;
  const n = plan.batch * shapeSize(graph.nodes[index].outputShape);
  return backend.regularize(plan.outputs[index], grad, n, r.l1, r.l2);
}

/** Every layer's activity penalty on the outputs of the last forward pass, without gradients, with the node of each. */
export function activityPenalties(backend: Backend, graph: Graph, plan: BatchPlan): NodeTerm[] {
  const terms: NodeTerm[] = [];
  for (let node = 0; node < graph.nodes.length; node++) {
    const value = activityPenalty(backend, graph, plan, node, 0);
    if (value !== null) terms.push({ node, value });
  }
  return terms;
}

/** Applies every trainable weight's constraint in place, after the optimizer step, but not to the weights the step left `unchanged` (Keras skips those). */
export function applyConstraints(backend: Backend, graph: Graph, params: ParamStore, unchanged?: ReadonlySet<WeightSpec>): void {
  for (const layer of graph.layers) {
    const constraints = layer.weightConstraints;
    if (constraints.length === 0) continue;
    const weights = params.weightsOf(layer);
    constraints.forEach((c, i) => {
      const spec = layer.weightSpecs[i];
      if (c && spec.trainable && !unchanged?.has(spec)) applyConstraint(backend, c, weights[i], spec.shape, `Layer '${layer.name}' constraint on ${spec.name}`);
    });
  }
}
