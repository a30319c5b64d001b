import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('layer registry', () => {
  it('rebuilds each built-in layer from its config', () => {
    const layers = [
      km.layers.dense({ units: 7, activation: 'tanh', useBias: false, inputShape: [3] }),
      km.layers.flatten({ inputShape: [2, 2] }),
      km.layers.activation({ activation: 'sigmoid' }),
      km.layers.conv2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu', inputShape: [9, 9, 3] }),
      km.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, useBias: false }),
      km.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      km.layers.averagePooling2d(),
      km.layers.dropout({ rate: 0.25, seed: 3 }),
      km.layers.reshape({ targetShape: [-1, 4] }),
      km.layers.add(),
      km.layers.average(),
      km.layers.multiply(),
      km.layers.concatenate(),
      km.layers.globalAveragePooling2d(),
      km.layers.globalMaxPooling2d(),
      km.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }),
      km.layers.zeroPadding2d({ padding: [2, 1] }),
      km.layers.upSampling2d({ size: [3, 2] }),
      km.layers.depthwiseConv2d({ kernelSize: [3, 1], depthMultiplier: 2, padding: 'same', dilationRate: 2, useBias: false }),
      km.layers.batchNormalization({ momentum: 0.9, epsilon: 0.01, center: false, gammaInitializer: 'heUniform' }),
    ];
    for (const layer of layers) {
      const copy = km.layers.layerFromConfig(layer.className, layer.getConfig());
      expect(copy.className).toBe(layer.className);
      expect(copy.getConfig()).toEqual(layer.getConfig());
    }
  });

  it('names the known classes for an unknown one', () => {
    // Every registered class, sorted, so the list stays right as layers are added.
    const known = km.layers.registeredLayerClasses();
    expect(known).toEqual([...known].sort());
    expect(known).toEqual(expect.arrayContaining(['Conv1D', 'Conv2D', 'Dense', 'Embedding', 'GlobalMaxPooling1D', 'LeakyReLU', 'MaxPooling2D', 'PReLU']));
    expect(() => km.layers.layerFromConfig('Conv9D', {})).toThrow(`Unknown layer class 'Conv9D'. Known classes: ${known.join(', ')}. Register custom layers with`);
  });

  it("tfjs' one-argument form { className, config } is refused with the two-argument call to make", () => {
    const serialized = { className: 'Dense', config: { units: 3 } };
    expect(() => km.layers.layerFromConfig(serialized as never, undefined as never)).toThrow(
      "km.layers.layerFromConfig takes the class name and the config as two arguments. Received: an object as the class name. For tfjs' serialized form { className, config }, call km.layers.layerFromConfig('Dense', serialized.config).",
    );
    expect(() => km.layers.layerFromConfig(undefined as never, {})).toThrow("Received: undefined as the class name. Pass both, e.g. km.layers.layerFromConfig('Dense', { units: 10 }).");
  });
});
