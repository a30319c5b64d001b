import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as km from '../index.js';
import { SquareSumLoss } from '../testing/loss_layers.js';

afterAll(() => km.setBackend('wasm'));

const values = (tensors: km.Tensor[]) => tensors.map((t) => t.dataSync()[0]);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const l1 = (w: km.Tensor) => sum([...w.dataSync()].map(Math.abs));
const l2 = (w: km.Tensor) => sum([...w.dataSync()].map((v) => v * v));

/** Dense(4, kernel l2, bias l1) -> Dense(3, frozen, kernel l2) -> Dense(2, kernel l1l2, no bias). */
function regularizedModel() {
  km.utils.setRandomSeed(7);
  const model = km.sequential([
    km.layers.dense({ units: 4, inputShape: [3], activation: 'tanh', kernelRegularizer: km.regularizers.l2(0.02), biasRegularizer: km.regularizers.l1(0.3), biasInitializer: 'glorotUniform' }),
    km.layers.dense({ units: 3, kernelRegularizer: km.regularizers.l2(0.5), trainable: false }),
    km.layers.dense({ units: 2, useBias: false, kernelRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.04 }) }),
  ]);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

describe('layer.losses and model.losses: weight penalties', () => {
  it('gives l1·Σ|w| + l2·Σw² per regularized trainable weight, layer by layer in weight order, as float32 scalars', async () => {
    await km.setBackend('wasm');
    const model = regularizedModel();
    const [first, frozen, last] = model.layers as km.layers.Layer[];
    const [k1, b1] = first.getWeights();
    const [k3] = last.getWeights();
    const expected = [0.02 * l2(k1), 0.3 * l1(b1), 0.01 * l1(k3) + 0.04 * l2(k3)];
    const losses = model.losses;
    for (const t of losses) expect([t.shape, t.dtype]).toEqual([[], 'float32']);
    expect(values(losses).length).toBe(3);
    values(losses).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // Keras leaves a frozen layer's penalties out of losses, as training does.
    expect(frozen.losses).toEqual([]);
    values(first.losses).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    frozen.trainable = true;
    expect(values(frozen.losses)[0]).toBeCloseTo(0.5 * l2(frozen.getWeights()[0]), 6);
    // Follows the current weights.
    first.setWeights([km.ones([3, 4]), km.tensor([1, -2, 0, 0.5])]);
    expect(values(first.losses)).toEqual([Math.fround(0.02 * 12), Math.fround(0.3 * 3.5)]);
  });

  it('is empty for an unbuilt layer and model, and for a layer without regularizers', () => {
    const dense = km.layers.dense({ units: 2, kernelRegularizer: 'l2' });
    expect(dense.losses).toEqual([]);
    const model = km.sequential([dense]);
    expect(model.losses).toEqual([]);
    model.build([null, 3]);
    expect(values(model.losses)[0]).toBeCloseTo(0.01 * l2(dense.getWeights()[0]), 6);
    expect(km.layers.dense({ units: 2, inputShape: [1] }).losses).toEqual([]);
  });

  it("sums to what evaluate and fit add to the data loss, and matches tfjs-layers' calculateLosses()", async () => {
    await km.setBackend('wasm');
    const model = regularizedModel();
    const x = km.tensor([[0.5, -1, 2], [1, 0.25, -0.5], [-1.5, 1, 0]]);
    const y = km.tensor([[1, 0], [0, 1], [0.5, -0.5]]);
    const mse = (pred: km.Tensor) => sum([...pred.dataSync()].map((p, i) => (p - y.dataSync()[i]) ** 2)) / 6;
    const penalty = sum(values(model.losses));
    const [evaluated] = (await model.evaluate(x, y, { verbose: 0 })) as number[];
    expect(evaluated - mse(model.predict(x))).toBeCloseTo(penalty, 5);
    // fit reports the loss before its step: with a learning rate of 0 the weights stay as they are.
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError' });
    const history = await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
    expect(history.history.loss[0] - mse(model.predict(x))).toBeCloseTo(penalty, 5);

    // tfjs computes the same l1·Σ|w| + l2·Σw² (no ½ on l2); its calculateLosses() keeps a frozen
    // layer's penalty, which Keras 3 and kerasm leave out, so its frozen layer has none here.
    await tf.setBackend('cpu');
    const reference = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 4, inputShape: [3], kernelRegularizer: tfl.regularizers.l2({ l2: 0.02 }), biasRegularizer: tfl.regularizers.l1({ l1: 0.3 }) }),
        tfl.layers.dense({ units: 3, trainable: false }),
        tfl.layers.dense({ units: 2, useBias: false, kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.04 }) }),
      ],
    });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const tfjsLosses = reference.calculateLosses().map((s) => s.dataSync()[0]);
    expect(values(model.losses).length).toBe(tfjsLosses.length);
    values(model.losses).forEach((v, i) => expect(v).toBeCloseTo(tfjsLosses[i], 6));
  });
});

describe("layer.losses and model.losses: the last batch's added terms", () => {
  /** Dense(2, activity l2 0.1, kernel l2 0.05, no bias) -> SquareSumLoss(0.2) -> Dense(1). */
  function addingModel() {
    km.utils.setRandomSeed(3);
    const hidden = km.layers.dense({ units: 2, inputShape: [2], useBias: false, activityRegularizer: km.regularizers.l2(0.1), kernelRegularizer: km.regularizers.l2(0.05) });
    const adding = new SquareSumLoss({ rate: 0.2 });
    const model = km.sequential([hidden, adding, km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError' });
    return { model, hidden, adding };
  }
  const xs = [[1, -2], [0.5, 3], [-1, 1]];
  const x = km.tensor(xs);
  const y = km.tensor([[0.5], [-1], [2]]);
  /** The hidden Dense's outputs x·kernel, flattened row by row. */
  const hiddenOutputs = (kernel: km.Tensor) => {
    const k = kernel.dataSync();
    return xs.flatMap(([a, b]) => [a * k[0] + b * k[2], a * k[1] + b * k[3]]);
  };

  for (const backendName of ['wasm', 'tfjs-cpu', 'tfjs-wasm'] as const) {
    it(`holds the activity penalty and ctx.addLoss term of the last evaluate or fit batch, before the weight penalties (${backendName})`, async () => {
      await km.setBackend(backendName);
      const { model, hidden, adding } = addingModel();
      // Before any batch: the kernel's penalty only.
      const kernel = hidden.getWeights()[0];
      expect(values(model.losses).length).toBe(1);
      const h = hiddenOutputs(kernel);
      const sq = sum(h.map((v) => v * v));
      // evaluate's last batch is the third sample alone.
      await model.evaluate(x, y, { batchSize: 2, verbose: 0 });
      const last = sum(h.slice(4).map((v) => v * v));
      const expected = [0.1 * last, 0.2 * last, 0.05 * l2(kernel)];
      values(model.losses).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
      expect(values(model.losses).length).toBe(3);
      expect(values(hidden.losses)).toEqual(values(model.losses).filter((_, i) => i !== 1));
      expect(values(adding.losses)).toEqual([values(model.losses)[1]]);
      // predict does not change them (they are the last training or evaluation batch's).
      model.predict(x);
      expect(values(adding.losses)[0]).toBeCloseTo(0.2 * last, 5);
      // One batch of all three: the sum is the reported loss less the data loss.
      const [evaluated] = (await model.evaluate(x, y, { batchSize: 3, verbose: 0 })) as number[];
      const pred = model.predict(x).dataSync();
      const dataLoss = sum([...pred].map((p, i) => (p - y.dataSync()[i]) ** 2)) / 3;
      expect(sum(values(model.losses))).toBeCloseTo(evaluated - dataLoss, 5);
      expect(values(adding.losses)[0]).toBeCloseTo(0.2 * sq, 5);
      const history = await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
      expect(sum(values(model.losses))).toBeCloseTo(history.history.loss[0] - dataLoss, 5);
      model.dispose();
    });
  }

  it('reading them keeps nothing on the backend (tfjs-cpu and wasm)', async () => {
    for (const backendName of ['tfjs-cpu', 'wasm'] as const) {
      await km.setBackend(backendName);
      const { model } = addingModel();
      await model.evaluate(x, y, { verbose: 0 });
      const before = km.memory().numBytes;
      for (let i = 0; i < 3; i++) expect(model.losses.length).toBe(3);
      expect(km.memory().numBytes).toBe(before);
      model.dispose();
    }
  });
});
