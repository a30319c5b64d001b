import type { Tensor } from '../tensor.js';
import type { CallbackModel } from './callback.js';

/**
 * A copy of the model's weights in host memory, read without blocking (a GPU backend frees its
 * device copy once read), for callbacks that may put the weights back later.
 */
export async function weightSnapshot(model: CallbackModel): Promise<Tensor<'float32'>[]> {
  const weights = model.getWeights();
  await Promise.all(weights.map((w) => w.data()));
  return weights;
}
