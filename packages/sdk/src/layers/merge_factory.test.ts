import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// The merge factories' function form, as tfjs' tf.layers.add([a, b]) and Keras' keras.layers.add([a, b]).

beforeAll(() => km.ready());

describe('merge factories given the tensors to merge', () => {
  it('apply a new layer to symbolic tensors: the same model as with .apply', () => {
    const factories = [km.layers.add, km.layers.average, km.layers.multiply, km.layers.maximum, km.layers.minimum, km.layers.subtract, km.layers.concatenate];
    for (const merge of factories) {
      const a = km.input({ shape: [3] });
      const b = km.input({ shape: [3] });
      const merged = merge([a, b]);
      expect(merged).toBeInstanceOf(km.SymbolicTensor);
      const viaApply = (merge() as km.layers.Layer).apply([a, b]) as km.SymbolicTensor;
      expect(merged.shape).toEqual(viaApply.shape);
      const model = km.model({ inputs: [a, b], outputs: merged });
      const x = km.tensor([1, -2, 3, 4, 5, -6], [2, 3]);
      const y = km.tensor([0.5, 2, -3, 1, 5, 7], [2, 3]);
      const direct = merge([x, y]);
      expect(Array.from(model.predict([x, y]).dataSync())).toEqual(Array.from(direct.dataSync()));
    }
  });

  it('take options after the tensors, and still make a layer from options alone', () => {
    const a = km.input({ shape: [2, 3] });
    const b = km.input({ shape: [4, 3] });
    expect(km.layers.concatenate([a, b], { axis: 1 }).shape).toEqual([6, 3]);
    expect(km.layers.concatenate({ axis: 1 })).toBeInstanceOf(km.layers.Concatenate);
    const summed = km.layers.add([km.tensor([1, 2], [1, 2]), km.tensor([3, 4], [1, 2])]);
    expect(Array.from(summed.dataSync())).toEqual([4, 6]);
  });
});
