import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

/** `build` is protected in the types; a Keras user calls it all the same (keras.io's transfer-learning guide). */
const build = (layer: km.layers.Layer, shape: unknown) => (layer as unknown as { build(shape: unknown): void }).build(shape);

describe("layer.build with Keras' shape (batch axis first)", () => {
  it.each([[[null, 4]], [[4]]])('build(%j) says to pass a list of shapes without the batch axis, instead of a TypeError', (shape) => {
    const dense = km.layers.dense({ units: 3, name: 'head' });
    expect(() => build(dense, shape)).toThrow(
      "Layer 'head' (Dense): build and computeOutputShape take a list of input shapes, one per input, each without the batch axis, but received " +
        `${JSON.stringify(shape)}. For Keras' layer.build((None, 4)) call layer.build([[4]]), or apply the layer to km.input({ shape: [4] }), which builds it.`,
    );
  });

  it('builds with the form the message gives', () => {
    const dense = km.layers.dense({ units: 3 });
    build(dense, [[4]]);
    expect(dense.weights.map((w) => w.shape)).toEqual([[4, 3], [3]]);
  });
});
