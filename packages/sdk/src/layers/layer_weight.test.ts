import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const counts = (owner: km.layers.Layer | km.LayersModel) => [owner.weights.length, owner.trainableWeights.length, owner.nonTrainableWeights.length];

describe("weights, trainableWeights and nonTrainableWeights (Keras' transfer-learning guide, tfjs' LayerVariable)", () => {
  it('count a Dense and a BatchNormalization layer as Keras does, and follow trainable', () => {
    const dense = km.layers.dense({ units: 3 });
    dense.apply(km.input({ shape: [4] }));
    expect(counts(dense)).toEqual([2, 2, 0]);
    const bn = km.layers.batchNormalization();
    bn.apply(km.input({ shape: [4] }));
    expect(counts(bn)).toEqual([4, 2, 2]);
    expect(bn.nonTrainableWeights.map((w) => w.name)).toEqual([`${bn.name}/moving_mean`, `${bn.name}/moving_variance`]);
    dense.trainable = false;
    expect(counts(dense)).toEqual([2, 0, 2]);
    expect(counts(km.layers.dense({ units: 3 }))).toEqual([0, 0, 0]);
  });

  it("list a model's weights in getWeights() order, nested models' included, with names, shapes and values", () => {
    km.utils.setRandomSeed(2);
    const base = km.sequential([km.layers.dense({ units: 4, inputShape: [3], name: 'hidden' }), km.layers.batchNormalization({ name: 'norm' })]);
    const input = km.input({ shape: [3] });
    const model = km.model({ inputs: input, outputs: km.layers.dense({ units: 2, name: 'head' }).apply(base.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    expect(model.weights.map((w) => `${w.name} ${JSON.stringify(w.shape)}`)).toEqual([
      'hidden/kernel [3,4]', 'hidden/bias [4]', 'norm/gamma [4]', 'norm/beta [4]', 'head/kernel [4,2]', 'head/bias [2]', 'norm/moving_mean [4]', 'norm/moving_variance [4]',
    ]);
    const weights = model.getWeights();
    model.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(Array.from(weights[i].dataSync())));
    base.trainable = false;
    expect(counts(model)).toEqual([8, 2, 6]);
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['head/kernel', 'head/bias']);
  });

  it('write replaces one weight for every model holding the layer, and checks its shape', () => {
    const dense = km.layers.dense({ units: 2, inputShape: [2], name: 'lone' });
    const model = km.sequential([dense]);
    const [kernel, bias] = dense.weights;
    kernel.write(km.tensor([[1, 0], [0, 1]]));
    bias.write(km.tensor([0.5, -0.5]));
    expect(Array.from(model.predict(km.tensor([[2, 3]])).dataSync())).toEqual([2.5, 2.5]);
    expect(() => bias.write(km.tensor([1, 2, 3]))).toThrow(/shape/);
  });
});
