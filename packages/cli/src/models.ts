import * as km from '@kerasm/sdk';
import type { ModelName } from './args.js';

const CLASSES = 10;

/** Flatten → Dense(units, relu) → Dense(10, softmax): the Keras MNIST reference program. */
function mlp(units: number): km.LayersModel {
  return km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units, activation: 'relu' }),
    km.layers.dense({ units: CLASSES, activation: 'softmax' }),
  ]);
}

/** The Keras MNIST convnet example: two Conv2D/MaxPool stages, Dropout 0.5, Dense softmax. */
function cnn(): km.LayersModel {
  return km.sequential([
    km.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
    km.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    km.layers.maxPooling2d({ poolSize: 2 }),
    km.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    km.layers.maxPooling2d({ poolSize: 2 }),
    km.layers.flatten(),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: CLASSES, activation: 'softmax' }),
  ]);
}

/** One residual block: relu(x + conv(relu(conv(x)))), both convolutions 3×3 'same'. */
function residualBlock(x: km.SymbolicTensor, filters: number): km.SymbolicTensor {
  const h = km.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  const r = km.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(h);
  return km.layers.activation({ activation: 'relu' }).apply(km.layers.add().apply([x, r]));
}

/** A small residual network built with the functional API. */
function resnet(): km.LayersModel {
  const input = km.input({ shape: [28, 28], name: 'image' });
  const image = km.layers.reshape({ targetShape: [28, 28, 1] }).apply(input);
  let x = km.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(image);
  x = residualBlock(x, 16);
  x = km.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(x);
  x = residualBlock(x, 32);
  x = km.layers.averagePooling2d({ poolSize: 7 }).apply(x);
  const output = km.layers.dense({ units: CLASSES, activation: 'softmax' }).apply(km.layers.flatten().apply(x));
  return km.model({ inputs: input, outputs: output, name: 'resnet' });
}

/** Builds the network `kerasm train --model` names. */
export function buildModel(name: ModelName, units: number): km.LayersModel {
  if (name === 'cnn') return cnn();
  if (name === 'resnet') return resnet();
  return mlp(units);
}

/** How the training header names each network other than the reference MLP. */
export const MODEL_DESCRIPTIONS: Partial<Record<ModelName, string>> = {
  cnn: 'the Keras MNIST convnet (Conv2D 32 -> MaxPool -> Conv2D 64 -> MaxPool -> Dropout 0.5 -> Dense 10)',
  resnet: 'a small residual network (functional API, 2 residual blocks)',
};
