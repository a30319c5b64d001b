// `layer.losses` and `model.losses` (Keras' `losses`): the weight penalties of the current weights,
// computed on the host from copies of the weights, so reading them keeps nothing on the backend;
// inside a gradient call, with km ops on the weights' arguments, so that they are differentiated.
import type { Layer } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { lastCallLosses } from './last_call_losses.js';
import { readLayerWeights } from './weight_homes.js';
import { weightArgument } from './taped_apply.js';
import { abs, square } from '../ops/elementwise.js';
import { add, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';

/**
 * Keras 3's `losses` of `layers` (a layer, or a model's layers, nested models' included): first the
 * terms each layer added in its last training or evaluation batch (activity penalties,
 * `ctx.addLoss`), layer by layer, then l1·Σ|w| + l2·Σw² for each trainable weight that has a
 * regularizer, layer by layer in weight order. Each is a float32 scalar tensor on the host. Inside a
 * gradient call that differentiates with respect to a weight (`optimizer.minimize`), its penalty is
 * computed with km ops from it, so that `cost + Σ model.losses` trains as `fit` adds the penalty.
 */
export function layerLosses(layers: readonly Layer[]): Tensor<'float32'>[] {
  const added = layers.flatMap((layer) => lastCallLosses(layer)).map((value) => new Tensor(Float32Array.of(value), [], 'float32'));
  return [...added, ...weightPenaltyLosses(layers)];
}

/** The penalties of the regularized trainable weights of `layers`, layer by layer in weight order, from the current weights. */
export function weightPenaltyLosses(layers: readonly Layer[]): Tensor<'float32'>[] {
  return layers.flatMap(weightPenalties);
}

/** The penalty of each regularized trainable weight of `layer` (its own and those it owns of inner layers), in build order. */
function weightPenalties(layer: Layer): Tensor<'float32'>[] {
  const regularizers = layer.weightRegularizers;
  const specs = layer.weightSpecs;
  if (!regularizers.some((r, i) => r && specs[i]?.trainable)) return [];
  const weights = readLayerWeights(layer);
  const penalties: Tensor<'float32'>[] = [];
  specs.forEach((spec, i) => {
    const r = regularizers[i];
    if (!r || !spec.trainable) return;
    const values = weights[i].dataSync();
    const taped = weightArgument(layer, i, () => values.slice());
    if (taped) return void penalties.push(add(mul(sum(abs(taped)), r.l1), mul(sum(square(taped)), r.l2)) as Tensor<'float32'>);
    let absolute = 0;
    let squares = 0;
    for (const w of values) {
      absolute += Math.abs(w);
      squares += w * w;
    }
    penalties.push(new Tensor(Float32Array.of(r.l1 * absolute + r.l2 * squares), [], 'float32'));
  });
  return penalties;
}
