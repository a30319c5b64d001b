import type { Scalar } from '../backend/backend.js';
import type { Backend } from '../backend/backend.js';
import type { Graph } from './graph.js';
import type { ParamStore } from './params.js';

/**
 * Σ of every layer's weight penalties; with `withGradients` also adds each penalty's gradient to
 * the weight gradients (call after the backward pass has written them). Returns 0 when no layer
 * has a regularizer, so unregularized models pay nothing.
 */
export function regularizationPenalty(backend: Backend, graph: Graph, params: ParamStore, withGradients: boolean): Scalar[] {
  const terms: Scalar[] = [];
  for (const node of graph.nodes) {
    const regularizers = node.layer.weightRegularizers;
    if (regularizers.length === 0) continue;
    const weights = params.weightsOf(node.layer);
    const grads = params.gradsOf(node.layer);
    regularizers.forEach((r, i) => {
      if (!r || (r.l1 === 0 && r.l2 === 0)) return;
      const size = node.layer.weightSpecs[i].shape.reduce((a, b) => a * b, 1);
      terms.push(backend.regularize(weights[i], withGradients ? grads[i] : 0, size, r.l1, r.l2));
    });
  }
  return terms;
}

/** The batch's loss sum plus the penalty once per sample (Keras adds it to each batch's mean loss). */
export async function withPenalty(lossSum: Scalar, penalty: Scalar[], samples: number): Promise<number> {
  let total = await lossSum;
  for (const term of penalty) total += (await term) * samples;
  return total;
}
