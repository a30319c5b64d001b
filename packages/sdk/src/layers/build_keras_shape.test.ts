import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

/** `build` is protected in the types; a Keras or tfjs user calls it all the same (keras.io's transfer-learning guide). */
const build = (layer: km.layers.Layer, shape: unknown) => (layer as unknown as { build(shape: unknown): void }).build(shape);

describe("layer.build called by the user, with Keras' shape (batch axis first)", () => {
  it.each([[[null, 4]], [[32, 4]], [[[null, 4]]], [[[4]]]])('build(%j) builds the layer whole: its weights, then applies reuse them', (shape) => {
    km.utils.setRandomSeed(3);
    const dense = km.layers.dense({ units: 3, name: 'head' });
    build(dense, shape);
    expect(dense.built).toBe(true);
    const weights = dense.getWeights();
    expect(weights.map((w) => w.shape)).toEqual([[4, 3], [3]]);
    const model = km.sequential([km.layers.inputLayer({ inputShape: [4] }), dense]);
    expect(dense.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights.map((w) => Array.from(w.dataSync())));
    expect(model.countParams()).toBe(15);
    expect(() => dense.apply(km.input({ shape: [5] }))).toThrow(/head/);
  });

  it('builds a layer of several inputs from a list of shapes', () => {
    const add = km.layers.add({ name: 'sum' });
    build(add, [[null, 3], [null, 3]]);
    expect(add.built).toBe(true);
    expect(add.computeOutputShape([[3], [3]])).toEqual([3]);
  });

  it.each([[[4]], [[null]], [[null, 0]], ['4'], [[]]])('refuses build(%j), naming the form it takes', (shape) => {
    const dense = km.layers.dense({ units: 3, name: 'head' });
    expect(() => build(dense, shape)).toThrow(
      `Layer 'head' (Dense).build takes the input shape with the batch axis first, as Keras and tfjs write it: [null, 4], or a list of them for a layer with several inputs ([[null, 4], [null, 3]]), each sample dimension a positive integer. Received: ${JSON.stringify(shape)}.`,
    );
    expect(dense.built).toBe(false);
  });

  it('computeOutputShape with the batch axis says which form it takes', () => {
    const dense = km.layers.dense({ units: 3, name: 'head' });
    expect(() => dense.computeOutputShape([null, 4] as never)).toThrow(
      "Layer 'head' (Dense): build and computeOutputShape take a list of input shapes, one per input, each without the batch axis, but received [null,4]. " +
        "For Keras' compute_output_shape((None, 4)) call computeOutputShape([[4]]); layer.build takes Keras' form, layer.build([null, 4]).",
    );
  });
});
