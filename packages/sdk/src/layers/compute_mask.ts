import { Tensor } from '../tensor.js';

/**
 * The `computeMask` methods of built-in layers (Embedding, Masking), which the Layer constructor lets
 * through; a custom class defining its own is refused (see `computeMaskError`), since the engine
 * never calls one.
 */
export const BUILT_IN_COMPUTE_MASKS = new WeakSet<object>();

/**
 * Keras' `compute_mask` for a layer whose mask comes from its input's values: 1 where some value
 * along the last `featureAxes` axes (0: each value alone; 1: the features axis) differs from
 * `value`, else 0, as float32 `[batch, ...]` read on the host, in the form `apply(x, { mask })` takes.
 */
export function maskOfValues(inputs: Tensor, value: number, featureAxes: 0 | 1, where: string): Tensor<'float32'> {
  if (!(inputs instanceof Tensor)) {
    throw new Error(`${where}.computeMask takes the layer's input as a km.Tensor (data, not a symbolic tensor): a model computes its masks itself. Received: ${inputs === null ? 'null' : typeof inputs}.`);
  }
  const values = inputs.dataSync();
  const width = featureAxes === 1 ? inputs.shape[inputs.shape.length - 1] : 1;
  const mask = new Float32Array(values.length / width);
  for (let r = 0; r < mask.length; r++) {
    for (let k = 0; k < width; k++) if (values[r * width + k] !== value) mask[r] = 1;
  }
  return new Tensor(mask, featureAxes === 1 ? inputs.shape.slice(0, -1) : [...inputs.shape], 'float32');
}
