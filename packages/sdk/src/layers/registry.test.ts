import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('layer registry', () => {
  it('rebuilds each built-in layer from its config', () => {
    const layers = [
      km.layers.dense({ units: 7, activation: 'tanh', useBias: false, inputShape: [3] }),
      km.layers.flatten({ inputShape: [2, 2] }),
      km.layers.activation({ activation: 'sigmoid' }),
    ];
    for (const layer of layers) {
      const copy = km.layers.layerFromConfig(layer.className, layer.getConfig());
      expect(copy.className).toBe(layer.className);
      expect(copy.getConfig()).toEqual(layer.getConfig());
    }
  });

  it('names the known classes for an unknown one', () => {
    expect(() => km.layers.layerFromConfig('Conv9D', {})).toThrow(/Unknown layer class 'Conv9D'. Known classes: Activation, Dense, Flatten/);
  });
});
