import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { denseReference, gruReference, lstmReference, simpleRnnReference } from '../testing/recurrent_reference.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const [batch, steps, inFeatures, features, units] = [4, 6, 2, 3, 4];
// Real lengths per sample; the first has no padding.
const lengths = [6, 3, 1, 5];

type Padding = 'start' | 'end';

/** [batch][steps][inFeatures] values, 0 at the padding; real steps keep their first feature away from 0. */
function paddedInputs(seed: number, padding: Padding, totalSteps = steps): number[][][] {
  const random = new Random(seed);
  return lengths.map((length) => {
    // Drawn for the real steps only, so the same seed gives the same sequences at any padded length.
    const real = Array.from({ length }, () => [0.5 + random.uniform(0, 1), random.uniform(-1, 1)]);
    const pad = Array.from({ length: totalSteps - length }, () => [0, 0]);
    return padding === 'end' ? [...real, ...pad] : [...pad, ...real];
  });
}

/** The real steps of a padded sample: with a mask, a recurrent layer computes what it computes on these alone. */
const realSteps = (x: number[][], length: number, padding: Padding) => (padding === 'end' ? x.slice(0, length) : x.slice(x.length - length));

function model(layer: km.layers.Layer, totalSteps = steps): km.Sequential {
  return km.sequential([
    km.layers.masking({ inputShape: [totalSteps, inFeatures] }),
    km.layers.dense({ units: features, biasInitializer: 'glorotUniform' }),
    layer,
    km.layers.dense({ units: 2 }),
  ]);
}

const mse = (outputs: number[][], targets: number[][]) => outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;

const cells = [
  { name: 'LSTM', padding: 'end' as Padding, make: () => km.layers.lstm({ units, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform' }), ref: (x: number[][], [k, r, b]: number[][]) => lstmReference(x, k, r, b, { units, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, goBackwards: false }) },
  { name: 'LSTM(goBackwards)', padding: 'start' as Padding, make: () => km.layers.lstm({ units, goBackwards: true, biasInitializer: 'glorotUniform' }), ref: (x: number[][], [k, r, b]: number[][]) => lstmReference(x, k, r, b, { units, activation: 'tanh', recurrentActivation: 'hardSigmoid', returnSequences: false, goBackwards: true }) },
  { name: 'GRU', padding: 'end' as Padding, make: () => km.layers.gru({ units, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform' }), ref: (x: number[][], [k, r, b]: number[][]) => gruReference(x, k, r, b, { units, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, goBackwards: false }) },
  { name: 'GRU(resetAfter, goBackwards)', padding: 'start' as Padding, make: () => km.layers.gru({ units, resetAfter: true, goBackwards: true, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform' }), ref: (x: number[][], [k, r, b]: number[][]) => gruReference(x, k, r, b, { units, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, goBackwards: true, resetAfter: true }) },
  { name: 'SimpleRNN', padding: 'end' as Padding, make: () => km.layers.simpleRNN({ units, biasInitializer: 'glorotUniform' }), ref: (x: number[][], [k, r, b]: number[][]) => simpleRnnReference(x, k, r, b, { units, activation: 'tanh', returnSequences: false, goBackwards: false }) },
];

describe('gradients through a masked recurrent layer, against float64 finite differences of the layer run on the real steps alone', () => {
  it.each(cells)('Masking → Dense → $name → Dense, padded at the $padding', async (c) => {
    km.utils.setRandomSeed(7);
    const m = model(c.make());
    const xs = paddedInputs(17, c.padding);
    const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: number[][], length: number): number[] => {
      const [k0, b0] = weights;
      const [k2, b2] = weights.slice(-2);
      const h = c.ref(denseReference(realSteps(x, length, c.padding), k0, b0), weights.slice(2, -2));
      return denseReference([h.flat()], k2, b2)[0];
    };
    const x = km.tensor(xs.flat(2), [batch, steps, inFeatures]);
    const predicted = m.predict(x).arraySync() as number[][];
    xs.forEach((sample, i) => forward(sample, lengths[i]).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const targets = lengths.map((_, i) => [Math.sin(i), Math.cos(i)]);
    const expected = finiteDifferences(weights, () => mse(xs.map((sample, i) => forward(sample, lengths[i])), targets));
    const grads = await kerasmGradients(m, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
    expectGradientsClose(grads, expected, weights.map((_, i) => `weight ${i}`));
  });
});

describe('padding is invisible through a mask', () => {
  it.each(cells)('$name: appending padding to every sequence changes neither the predictions nor the gradients', async (c) => {
    const targets = km.tensor(lengths.flatMap((_, i) => [Math.sin(i), Math.cos(i)]), [batch, 2]);
    const run = async (totalSteps: number) => {
      km.utils.setRandomSeed(9);
      const m = model(c.make(), totalSteps);
      const xs = paddedInputs(21, c.padding, totalSteps);
      const x = km.tensor(xs.flat(2), [batch, totalSteps, inFeatures]);
      return { predictions: Array.from(m.predict(x).dataSync()), grads: await kerasmGradients(m, 'meanSquaredError', x, targets) };
    };
    const short = await run(steps);
    const long = await run(steps + 4);
    long.predictions.forEach((v, i) => expect(v).toBeCloseTo(short.predictions[i], 6));
    long.grads.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(short.grads[i][j], 6)));
    expect(short.grads[2].some((v) => Math.abs(v) > 1e-4)).toBe(true);
  });
});
