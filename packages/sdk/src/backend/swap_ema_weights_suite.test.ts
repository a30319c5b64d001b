import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE as BACKENDS, useBackend } from '../testing/backends_here.js';

// km.callbacks.swapEmaWeights validates on the weights' moving average and trains on the raw
// weights, on every backend here. The reference average is kept in float64 from the raw weights
// read after each batch, and a second model holding it is evaluated on the validation data.
const MOMENTUM = 0.8;
const random = new Random(31);
const rows = (n: number, width: number) => Array.from({ length: n }, () => Array.from({ length: width }, () => random.uniform(-1, 1)));
const x = km.tensor(rows(48, 3));
const y = km.tensor(rows(48, 1));
const validationData: [km.Tensor, km.Tensor] = [km.tensor(rows(20, 3)), km.tensor(rows(20, 1))];

function mlp(): km.Sequential {
  km.utils.setRandomSeed(4);
  const model = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), km.layers.dense({ units: 1 })]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05, useEma: true, emaMomentum: MOMENTUM }), loss: 'mse' });
  return model;
}

const read = async (model: km.LayersModel) => Promise.all(model.getWeights().map(async (w) => Float64Array.from(await w.data())));

/** Trains with the given callbacks ahead of one that keeps the float64 average and reads the weights at each epoch's end. */
async function train(callbacks: km.callbacks.CustomCallbackArgs[]) {
  const model = mlp();
  let average: Float64Array[] = [];
  const averages: Float64Array[][] = [];
  const epochEndWeights: Float64Array[][] = [];
  let step = 0;
  const history = await model.fit(x, y, {
    epochs: 3, batchSize: 16, shuffle: false, validationData, verbose: 0,
    callbacks: [...callbacks, {
      onBatchEnd: async () => {
        const raw = await read(model);
        average = ++step === 1 ? raw : average.map((a, i) => a.map((v, j) => MOMENTUM * v + (1 - MOMENTUM) * raw[i][j]));
      },
      onTestBegin: () => void averages.push(average.map((a) => a.slice())),
      onEpochEnd: async () => void epochEndWeights.push(await read(model)),
    }],
  });
  return { model, history: history.history, averages, epochEndWeights, final: await read(model) };
}

/** The validation loss of a copy of the model that holds `weights`. */
async function lossWith(weights: Float64Array[]): Promise<number> {
  const copy = mlp();
  copy.setWeights(weights.map((w, i) => km.tensor(Float32Array.from(w), copy.getWeights()[i].shape)));
  return (await copy.evaluate(validationData[0], validationData[1], { batchSize: 16, verbose: 0 }))[0];
}

const expectClose = (actual: Float64Array[], expected: Float64Array[]) => actual.forEach((a, i) => a.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));

describe.each(BACKENDS)('swapEmaWeights on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('validates on the moving average and trains on the raw weights', async () => {
    await useBackend(name);
    const plain = await train([]);
    const swapped = await train([km.callbacks.swapEmaWeights()]);
    // Swapped back before each epoch: training is untouched, bit for bit.
    expect(swapped.history.loss).toEqual(plain.history.loss);
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(swapped.history.val_loss[epoch]).toBeCloseTo(await lossWith(swapped.averages[epoch]), 5);
      expect(plain.history.val_loss[epoch]).toBeCloseTo(await lossWith(plain.epochEndWeights[epoch]), 5);
    }
    expect(Math.abs(swapped.history.val_loss[2] - plain.history.val_loss[2])).toBeGreaterThan(1e-4);
    // Without swapOnEpoch, epoch-end callbacks see the raw weights; fit still ends on the average.
    expectClose(swapped.epochEndWeights[1], plain.epochEndWeights[1]);
    expectClose(swapped.final, swapped.averages[2]);
  });

  it('with swapOnEpoch, holds the average through onEpochEnd and keeps it at the end', async () => {
    await useBackend(name);
    const plain = await train([]);
    const swapped = await train([km.callbacks.swapEmaWeights({ swapOnEpoch: true })]);
    expect(swapped.history.loss).toEqual(plain.history.loss);
    for (let epoch = 0; epoch < 3; epoch++) expectClose(swapped.epochEndWeights[epoch], swapped.averages[epoch]);
    expectClose(swapped.final, swapped.averages[2]);
  });
});

describe('swapEmaWeights refuses what it cannot do', () => {
  it('needs an optimizer with useEma', async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [3] })]);
    model.compile({ optimizer: km.optimizers.adam(), loss: 'mse' });
    await expect(model.fit(x, y, { verbose: 0, callbacks: [km.callbacks.swapEmaWeights()] })).rejects.toThrow(/made without useEma.*useEma: true/);
  });

  it('names a bad option', () => {
    expect(() => km.callbacks.swapEmaWeights({ swapOnEpoch: 'yes' as unknown as boolean })).toThrow(/swapOnEpoch must be true or false. Received: swapOnEpoch="yes"/);
    expect(() => km.callbacks.swapEmaWeights({ swapOnEpochs: true } as km.callbacks.SwapEMAWeightsArgs)).toThrow(/swapOnEpochs/);
  });
});
