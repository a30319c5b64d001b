import * as km from '@kerasm/sdk';
import { MODEL_KINDS, type ModelKind } from './protocol.js';

/**
 * A fresh compiled model of the given kind. The MLP is Keras' MNIST example with 128 hidden
 * units: one epoch on 10,000 images reaches about 0.91-0.92 test accuracy.
 */
export function buildModel(kind: ModelKind): km.LayersModel {
  if (kind !== 'mlp') throw new Error(`Unknown model '${String(kind)}'. Expected one of: ${MODEL_KINDS.join(', ')}.`);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 128, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
