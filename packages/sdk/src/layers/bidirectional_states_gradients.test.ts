import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { denseReference, lstmReference } from '../testing/recurrent_reference.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Bidirectional with returnState, initialState and mergeMode null against a float64 LSTM loop run
// forwards and backwards: an encoder Bidirectional's four states start a decoder Bidirectional (the
// forward pair the forward layer, the backward pair the backward one), whose two outputs and the
// encoder's merged output and last state feed the head, so every output has a path to the loss.
beforeAll(() => km.ready());

const [batch, encSteps, decSteps, inFeatures, features, units] = [3, 4, 3, 2, 3, 2];
const random = new Random(71);
const sample = (steps: number) => Array.from({ length: steps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5)));

describe('Bidirectional returnState, initialState and mergeMode null: gradients against float64 finite differences', () => {
  it('LSTM encoder → decoder through both directions\' states', async () => {
    km.utils.setRandomSeed(21);
    const common = { units, recurrentActivation: 'sigmoid' as const, biasInitializer: 'glorotUniform' as const };
    const [encIn, decIn] = [km.input({ shape: [encSteps, inFeatures] }), km.input({ shape: [decSteps, inFeatures] })];
    const [encDense, decDense] = [km.layers.dense({ units: features, biasInitializer: 'glorotUniform' }), km.layers.dense({ units: features, biasInitializer: 'glorotUniform' })];
    const encoder = km.layers.bidirectional({ layer: km.layers.lstm({ ...common, returnState: true }) });
    const [merged, ...states] = encoder.apply(encDense.apply(encIn)) as unknown as km.SymbolicTensor[];
    expect([merged, ...states].map((t) => t.shape)).toEqual([[2 * units], [units], [units], [units], [units]]);
    const decoder = km.layers.bidirectional({ layer: km.layers.lstm(common), mergeMode: null });
    const [forward, backward] = decoder.apply(decDense.apply(decIn), { initialState: states }) as unknown as km.SymbolicTensor[];
    const head = km.layers.dense({ units: 2 });
    const model = km.model({ inputs: [encIn, decIn], outputs: head.apply(km.layers.concatenate().apply([merged, forward, backward, states[3]])) });

    const owners = [encDense, decDense, encoder, decoder, head];
    const weights = owners.map((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
    const order = model.layers.filter((l) => l.getWeights().length > 0).map((l) => owners.indexOf(l as (typeof owners)[number]));
    const xs = Array.from({ length: batch }, () => sample(encSteps));
    const ys = Array.from({ length: batch }, () => sample(decSteps));
    const lstm = (x: number[][], [kernel, recurrent, bias]: number[][], goBackwards: boolean, initial?: number[][]) =>
      lstmReference(x, kernel, recurrent, bias, { units, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, goBackwards, returnState: true, initial });
    const run = (w: number[][][], i: number): number[] => {
      const encX = denseReference(xs[i], w[0][0], w[0][1]);
      const [hF, ...fStates] = lstm(encX, w[2].slice(0, 3), false);
      const [hB, ...bStates] = lstm(encX, w[2].slice(3), true);
      const decX = denseReference(ys[i], w[1][0], w[1][1]);
      const [dF] = lstm(decX, w[3].slice(0, 3), false, fStates);
      const [dB] = lstm(decX, w[3].slice(3), true, bStates);
      return denseReference([[...hF, ...hB, ...dF, ...dB, ...bStates[1]]], w[4][0], w[4][1])[0];
    };
    const x = [km.tensor(xs.flat(2), [batch, encSteps, inFeatures]), km.tensor(ys.flat(2), [batch, decSteps, inFeatures])];
    const predicted = (model.predict(x) as km.Tensor).arraySync() as number[][];
    xs.forEach((_, i) => run(weights, i).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const mse = () => xs.reduce((s, _, i) => s + run(weights, i).reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / 2, 0) / batch;
    const expected = finiteDifferences(order.flatMap((k) => weights[k]), mse);
    const names = order.flatMap((k) => owners[k].weightSpecs.map((w) => w.name));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2])), expected, names);
  });
});
