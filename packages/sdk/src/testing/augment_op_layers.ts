// The ops of Keras' RandAugment and AugMix as the layers alone, for checking those policies: each
// made through km.layers with the options Keras' policy code hands it, and seeded where the
// policy's generator reaches that op's draws.
import * as km from '../index.js';
import type { RandomImageLayer } from '../layers/random_image_layer.js';
import type { Random } from '../utils/random.js';

type Range = [number, number];

/** Op `name` as its layer alone, with the factor range the policy gives it. */
export function augmentOpLayer(name: string, range: Range, valueRange: Range, seed?: number): km.layers.Layer {
  const color = { valueRange, seed };
  switch (name) {
    case 'random_shear': return km.layers.randomShear({ xFactor: range, yFactor: range, seed });
    case 'random_translation': return km.layers.randomTranslation({ heightFactor: range, widthFactor: range, seed });
    case 'random_rotation': return km.layers.randomRotation({ factor: range, seed });
    case 'random_brightness': return km.layers.randomBrightness({ factor: range, ...color });
    case 'random_color_degeneration': return km.layers.randomColorDegeneration({ factor: range, ...color });
    case 'random_contrast': return km.layers.randomContrast({ factor: range, ...color });
    case 'random_sharpness': return km.layers.randomSharpness({ factor: range, ...color });
    case 'random_posterization': return km.layers.randomPosterization({ factor: Math.max(1, Math.floor(8 * range[1])), ...color });
    case 'solarization': return km.layers.solarization({ additionFactor: range, thresholdFactor: range, ...color });
    case 'auto_contrast': return km.layers.autoContrast({ valueRange });
    case 'equalization': return km.layers.equalization({ valueRange });
    default: throw new Error(`no op ${name}`);
  }
}

/** Moves `r` past op `name`'s draws for a batch of `batch`; returns the state its draws start from. */
export function skipOpDraws(r: Random, name: string, range: Range, valueRange: Range, batch: number): number {
  const state = r.state;
  const layer = augmentOpLayer(name, range, valueRange);
  if ('drawStep' in layer) (layer as RandomImageLayer).drawStep(r, batch);
  return state;
}

/** `x` through the ops alone, in turn, each seeded with its state. */
export function throughOps(x: km.Tensor, ops: readonly { name: string; state: number }[], range: Range, valueRange: Range): km.Tensor {
  return ops.reduce((y, op) => augmentOpLayer(op.name, range, valueRange, op.state).apply(y, { training: true }) as km.Tensor, x);
}
