// `layer.losses` and `model.losses` (Keras' `losses`): the weight penalties of the current weights,
// computed on the host from copies of the weights, so reading them keeps nothing on the backend.
import type { Layer } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { lastCallLosses } from './last_call_losses.js';
import { readLayerWeights } from './weight_homes.js';

/**
 * Keras 3's `losses` of `layers` (a layer, or a model's layers, nested models' included): first the
 * terms each layer added in its last training or evaluation batch (activity penalties,
 * `ctx.addLoss`), layer by layer, then l1·Σ|w| + l2·Σw² for each trainable weight that has a
 * regularizer, layer by layer in weight order. Each is a float32 scalar tensor on the host.
 */
export function layerLosses(layers: readonly Layer[]): Tensor<'float32'>[] {
  const added = layers.flatMap((layer) => lastCallLosses(layer));
  return [...added, ...layers.flatMap(weightPenalties)].map((value) => new Tensor(Float32Array.of(value), [], 'float32'));
}

/** The penalty of each regularized trainable weight of `layer` (its own and those it owns of inner layers), in build order. */
function weightPenalties(layer: Layer): number[] {
  const regularizers = layer.weightRegularizers;
  const specs = layer.weightSpecs;
  if (!regularizers.some((r, i) => r && specs[i]?.trainable)) return [];
  const weights = readLayerWeights(layer);
  const penalties: number[] = [];
  specs.forEach((spec, i) => {
    const r = regularizers[i];
    if (!r || !spec.trainable) return;
    let abs = 0;
    let squares = 0;
    for (const w of weights[i].dataSync()) {
      abs += Math.abs(w);
      squares += w * w;
    }
    penalties.push(r.l1 * abs + r.l2 * squares);
  });
  return penalties;
}
