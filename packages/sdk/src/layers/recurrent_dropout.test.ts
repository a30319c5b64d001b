import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { masksAfterSeed, RECURRENT_KINDS } from '../testing/recurrent_dropout_reference.js';
import { denseReference } from '../testing/recurrent_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const [batch, steps, features, units] = [4, 5, 3, 4];
const weightsOf = (layer: km.layers.Layer) => layer.getWeights().map((w) => Array.from(w.dataSync()));

describe('dropout and recurrentDropout in LSTM, GRU and SimpleRNN: the training pass against a float64 loop with the same masks', () => {
  it.each(RECURRENT_KINDS.flatMap((kind) => [false, true].map((goBackwards) => ({ kind, goBackwards, label: `${kind.name}, goBackwards ${goBackwards}` }))))('$label', ({ kind, goBackwards }) => {
    const random = new Random(3);
    const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: features }, () => random.uniform(-1.5, 1.5))));
    const x = km.tensor(xs.flat(2), [batch, steps, features]);
    const options = { units, returnSequences: true, goBackwards };
    km.utils.setRandomSeed(4);
    const layer = kind.make({ ...options, dropout: 0.3, recurrentDropout: 0.4, biasInitializer: 'glorotUniform' });
    const inference = layer.apply(x) as km.Tensor;
    const weights = weightsOf(layer);
    // Inference: exactly the layer without dropout, with the same weights.
    const plain = kind.make(options);
    plain.apply(x);
    plain.setWeights(layer.getWeights());
    expect(inference.arraySync()).toEqual((plain.apply(x) as km.Tensor).arraySync());
    const masks = masksAfterSeed(9, batch, features, units, 0.3, 0.4);
    const trained = (layer.apply(x, { training: true }) as km.Tensor).arraySync() as number[][][];
    expect(trained).not.toEqual(inference.arraySync());
    xs.forEach((sample, b) => {
      const expected = kind.reference(sample, weights, { ...options, inputMask: masks.input![b], recurrentMask: masks.recurrent![b] });
      expected.forEach((row, t) => row.forEach((v, j) => expect(trained[b][t][j]).toBeCloseTo(v, 5)));
    });
  });
});

describe('gradients with both dropouts on against float64 finite differences with the same masks (Dense → layer → Flatten → Dense)', () => {
  it.each(RECURRENT_KINDS.map((kind, k) => ({ kind, goBackwards: k % 2 === 1, returnSequences: k < 2, label: kind.name })))('$label', async ({ kind, goBackwards, returnSequences }) => {
    const random = new Random(13);
    km.utils.setRandomSeed(17);
    const inFeatures = 2;
    const options = { units, returnSequences, goBackwards };
    const model = km.sequential([
      km.layers.dense({ units: features, inputShape: [steps, inFeatures], biasInitializer: 'glorotUniform' }),
      kind.make({ ...options, dropout: 0.25, recurrentDropout: 0.35, biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
    const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    // fit (without a seed) draws its shuffle seed before the layer draws its masks.
    const masks = masksAfterSeed(23, batch, features, units, 0.25, 0.35, 1);
    const forward = (sample: number[][], b: number) => {
      const [k0, b0] = weights;
      const [k2, b2] = weights.slice(-2);
      const h = kind.reference(denseReference(sample, k0, b0), weights.slice(2, -2), { ...options, inputMask: masks.input![b], recurrentMask: masks.recurrent![b] });
      return denseReference([h.flat()], k2, b2)[0];
    };
    const loss = () => xs.reduce((s, sample, b) => s + forward(sample, b).reduce((t, v, j) => t + (v - targets[b][j]) ** 2, 0) / 2, 0) / batch;
    const expected = finiteDifferences(weights, loss);
    const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs.flat(2), [batch, steps, inFeatures]), km.tensor(targets.flat(), [batch, 2]));
    expectGradientsClose(grads, expected, ['dense kernel', 'dense bias', 'kernel', 'recurrent_kernel', 'bias', 'output kernel', 'output bias']);
  });
});

describe('gradients with both dropouts and initial states (Dense-projected, so their gradients reach checked weights)', () => {
  it.each(RECURRENT_KINDS.map((kind) => ({ kind, label: kind.name })))('$label', async ({ kind }) => {
    const random = new Random(19);
    km.utils.setRandomSeed(29);
    const stateCount = kind.name === 'LSTM' ? 2 : 1;
    const [seqIn, stateIn] = [km.input({ shape: [steps, features] }), km.input({ shape: [2] })];
    const stateDenses = Array.from({ length: stateCount }, () => km.layers.dense({ units, biasInitializer: 'glorotUniform' }));
    const layer = kind.make({ units, dropout: 0.25, recurrentDropout: 0.35, biasInitializer: 'glorotUniform' });
    const head = km.layers.dense({ units: 2 });
    const out = layer.apply(seqIn, { initialState: stateDenses.map((d) => d.apply(stateIn)) }) as km.SymbolicTensor;
    const model = km.model({ inputs: [seqIn, stateIn], outputs: head.apply(out) });
    const owners = [...stateDenses, layer, head];
    const order = model.allLayers.filter((l) => l.getWeights().length > 0).map((l) => owners.indexOf(l));
    const weights = owners.map(weightsOf);
    const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: features }, () => random.uniform(-1.5, 1.5))));
    const ss = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const masks = masksAfterSeed(37, batch, features, units, 0.25, 0.35, 1);
    const forward = (b: number) => {
      const initial = weights.slice(0, stateCount).map(([k, bias]) => denseReference([ss[b]], k, bias)[0]);
      const h = kind.reference(xs[b], weights[stateCount], { units, returnSequences: false, goBackwards: false, initial, inputMask: masks.input![b], recurrentMask: masks.recurrent![b] });
      return denseReference(h, weights[stateCount + 1][0], weights[stateCount + 1][1])[0];
    };
    const loss = () => xs.reduce((s, _, b) => s + forward(b).reduce((t, v, j) => t + (v - targets[b][j]) ** 2, 0) / 2, 0) / batch;
    const expected = finiteDifferences(order.flatMap((k) => weights[k]), loss);
    const x = [km.tensor(xs.flat(2), [batch, steps, features]), km.tensor(ss.flat(), [batch, 2])];
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
    expectGradientsClose(grads, expected, order.flatMap((k) => owners[k].getWeights().map((_, j) => `${owners[k].name} weight ${j}`)));
  });
});

describe('the masks: one per sample, shared by every step, a fraction rate dropped and the rest scaled by 1/(1 − rate)', () => {
  // A linear SimpleRNN with identity kernels shows the masks in its output.
  const identity = (n: number) => km.tensor(Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), [n, n]);
  const probe = (args: { dropout?: number; recurrentDropout?: number }, n: number, rows: number, x: number[]) => {
    const layer = km.layers.simpleRNN({ units: n, activation: 'linear', returnSequences: true, ...args });
    const input = km.tensor(x, [rows, 3, n]);
    layer.apply(input);
    layer.setWeights([identity(n), args.recurrentDropout ? identity(n) : km.tensor(new Array<number>(n * n).fill(0), [n, n]), km.tensor(new Array<number>(n).fill(0), [n])]);
    km.utils.setRandomSeed(31);
    return (layer.apply(input, { training: true }) as km.Tensor).arraySync() as number[][][];
  };
  const expectMask = (values: number[], rate: number) => {
    const keep = Math.fround(1 / Math.fround(1 - Math.fround(rate)));
    for (const v of values) expect(v === 0 || v === keep).toBe(true);
    const kept = values.filter((v) => v !== 0).length / values.length;
    // Three standard deviations of the kept fraction over these draws.
    expect(Math.abs(kept - (1 - rate))).toBeLessThan(3 * Math.sqrt((rate * (1 - rate)) / values.length));
  };

  it('dropout: with all-ones inputs every step outputs the input mask, the same at each step', () => {
    const [n, rows, rate] = [32, 64, 0.3];
    const out = probe({ dropout: rate }, n, rows, new Array<number>(rows * 3 * n).fill(1));
    expectMask(out.flatMap((sample) => sample[0]), rate);
    out.forEach((sample) => {
      expect(sample[1]).toEqual(sample[0]);
      expect(sample[2]).toEqual(sample[0]);
    });
  });

  it('recurrentDropout: h₀ = 1 then h₁ = mask, h₂ = mask²: one mask per sample for every step', () => {
    const [n, rows, rate] = [32, 64, 0.4];
    const x = Array.from({ length: rows * 3 * n }, (_, i) => (Math.floor(i / n) % 3 === 0 ? 1 : 0));
    const out = probe({ recurrentDropout: rate }, n, rows, x);
    out.forEach((sample) => expect(sample[0].every((v) => v === 1)).toBe(true));
    expectMask(out.flatMap((sample) => sample[1]), rate);
    out.forEach((sample) => sample[2].forEach((v, j) => expect(v).toBeCloseTo(sample[1][j] ** 2, 5)));
  });
});

describe('training with dropout', () => {
  const task = () => {
    const random = new Random(5);
    const n = 64;
    const xs = Array.from({ length: n * 6 }, () => random.uniform(-1, 1));
    // The label is whether the sequence's sum is positive: every step matters.
    const ys = Array.from({ length: n }, (_, i) => (xs.slice(i * 6, i * 6 + 6).reduce((a, b) => a + b, 0) > 0 ? 1 : 0));
    return { x: km.tensor(xs, [n, 6, 1]), y: km.tensor(ys, [n, 1]) };
  };
  const fitLosses = async (seed: number, epochs: number) => {
    km.utils.setRandomSeed(seed);
    const model = km.sequential([km.layers.lstm({ units: 8, dropout: 0.2, recurrentDropout: 0.2, inputShape: [6, 1] }), km.layers.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const { x, y } = task();
    const history = await model.fit(x, y, { epochs, batchSize: 16, verbose: 0, seed });
    return { losses: history.history.loss as number[], model, x, y };
  };

  it('the same seed gives bit-identical losses; another seed other ones', async () => {
    const [a, b, c] = [await fitLosses(7, 2), await fitLosses(7, 2), await fitLosses(8, 2)];
    expect(a.losses).toEqual(b.losses);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('an LSTM with dropout and recurrentDropout 0.2 still learns the sign of a sequence sum', async () => {
    const { losses, model, x, y } = await fitLosses(3, 40);
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    const [, accuracy] = (await model.evaluate(x, y, { verbose: 0 })) as number[];
    expect(accuracy).toBeGreaterThan(0.85);
  });
});

describe('dropout and recurrentDropout with the other recurrent options', () => {
  const x = km.tensor(Array.from({ length: 4 * 5 * 3 }, (_, i) => Math.sin(i)), [4, 5, 3]);
  const trains = async (layers: km.layers.Layer[], outputShape: number[]) => {
    km.utils.setRandomSeed(2);
    const model = km.sequential(layers);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const y = km.tensor(new Array<number>(4 * outputShape.reduce((a, b) => a * b, 1)).fill(0.1), [4, ...outputShape]);
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, shuffle: false });
    for (const loss of history.history.loss as number[]) expect(Number.isFinite(loss)).toBe(true);
    return model;
  };
  const rates = { dropout: 0.3, recurrentDropout: 0.3 };

  it('Bidirectional: both directions draw their own masks; predict is the plain model', async () => {
    const model = await trains([km.layers.bidirectional({ layer: km.layers.lstm({ units: 3, ...rates }), inputShape: [5, 3] })], [6]);
    const plain = km.sequential([km.layers.bidirectional({ layer: km.layers.lstm({ units: 3 }), inputShape: [5, 3] })]);
    plain.setWeights(model.getWeights());
    expect(model.predict(x).arraySync()).toEqual(plain.predict(x).arraySync());
  });

  it('rnn over stacked lstmCell and gruCell with their own rates, stateful, and padding masks', async () => {
    km.utils.setRandomSeed(6);
    const stacked = km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3 }), km.layers.gruCell({ units: 2, recurrentDropout: 0.5 })] });
    const inference = (stacked.apply(x) as km.Tensor).arraySync();
    // Only the second cell drops, and only in training.
    expect((stacked.apply(x, { training: true }) as km.Tensor).arraySync()).not.toEqual(inference);
    expect((stacked.apply(x) as km.Tensor).arraySync()).toEqual(inference);
    await trains([km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3, ...rates }), km.layers.gruCell({ units: 2, dropout: 0.5 }), km.layers.simpleRNNCell({ units: 2, recurrentDropout: 0.5 })], inputShape: [5, 3] })], [2]);
    await trains([km.layers.gru({ units: 3, ...rates, stateful: true, batchInputShape: [4, 5, 3] })], [3]);
    await trains([km.layers.masking({ maskValue: 0, inputShape: [5, 3] }), km.layers.simpleRNN({ units: 3, ...rates, returnSequences: true })], [5, 3]);
  });

  it('ConvLSTM2D takes them too, its masks over pixels', async () => {
    const images = km.tensor(Array.from({ length: 2 * 3 * 4 * 4 }, (_, i) => Math.cos(i)), [2, 3, 4, 4, 1]);
    km.utils.setRandomSeed(1);
    const layer = km.layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', ...rates });
    const inference = (layer.apply(images) as km.Tensor).arraySync();
    expect((layer.apply(images, { training: true }) as km.Tensor).arraySync()).not.toEqual(inference);
    expect(layer.getConfig()).toMatchObject({ dropout: 0.3, recurrentDropout: 0.3 });
  });
});

describe("a layer's seed", () => {
  const x = km.tensor(Array.from({ length: 4 * 5 * 3 }, (_, i) => Math.sin(i)), [4, 5, 3]);
  const trainingOutput = (layer: km.layers.Layer, globalSeed: number) => {
    km.utils.setRandomSeed(globalSeed);
    return Array.from((layer.apply(x, { training: true }) as km.Tensor).dataSync());
  };

  it('draws the masks from its own generator: the same seed repeats them whatever the global generator does', () => {
    // Built under one global seed, so that only the masks can differ.
    const built = (layer: km.layers.Layer) => {
      km.utils.setRandomSeed(1);
      layer.apply(x);
      return layer;
    };
    const make = (seed: number) => built(km.layers.gru({ units: 6, dropout: 0.4, recurrentDropout: 0.4, seed }));
    expect(trainingOutput(make(4), 10)).toEqual(trainingOutput(make(4), 11));
    expect(trainingOutput(make(5), 10)).not.toEqual(trainingOutput(make(4), 10));
    const unseeded = () => built(km.layers.gru({ units: 6, dropout: 0.4, recurrentDropout: 0.4 }));
    expect(trainingOutput(unseeded(), 10)).not.toEqual(trainingOutput(unseeded(), 11));
  });

  it('is saved in the config only when given (tfjs has no such key), and refused when not an integer', () => {
    expect(km.layers.lstm({ units: 2, dropout: 0.1, seed: 3 }).getConfig()).toMatchObject({ seed: 3 });
    expect(km.layers.lstm({ units: 2, dropout: 0.1 }).getConfig()).not.toHaveProperty('seed');
    expect(km.layers.lstmCell({ units: 2, dropout: 0.1, seed: 3 }).getConfig()).toMatchObject({ seed: 3 });
    expect(() => km.layers.simpleRNN({ units: 2, name: 'r', seed: 1.5 })).toThrow("SimpleRNN layer 'r': seed must be an integer or null. Received: seed=1.5.");
  });
});

describe('dropout rates outside [0, 1) are refused with the value received', () => {
  it.each([
    ['dropout', 1],
    ['dropout', -0.1],
    ['recurrentDropout', 1.5],
    ['recurrentDropout', '0.2'],
  ] as const)('%s=%s', (option, value) => {
    const pattern = new RegExp(`LSTM layer 'l': ${option} must be a number in \\[0, 1\\).*Received: ${option}=${JSON.stringify(value).replace('.', '\\.')}\\.`);
    expect(() => km.layers.lstm({ units: 2, name: 'l', [option]: value as number })).toThrow(pattern);
  });
});
