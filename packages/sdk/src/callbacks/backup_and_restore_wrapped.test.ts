import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { backupFolders, dropFromBackup, type FitWith, interruptedRun } from '../testing/interrupted_run.js';

// Random layers anywhere in the model (inside wrappers, nested models) must resume drawing where
// the interrupted run had got to: a resumed run ends bit for bit as the uninterrupted one.
const newDir = backupFolders('kerasm-backup-wrapped-');

const random = new Random(8);
const values = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
const SAMPLES = 24;
const STEPS = 5;
const FEATURES = 3;
const sequences = km.tensor(values(SAMPLES * STEPS * FEATURES), [SAMPLES, STEPS, FEATURES]);
const images = km.tensor(values(SAMPLES * 4 * 4), [SAMPLES, 4, 4, 1]);
const y = km.tensor(values(SAMPLES * 2), [SAMPLES, 2]);
const EPOCHS = 4;
const CRASH_AT = 2;

/** Seeds the global generator, then builds the layers `body` makes and a Dense head. */
const built = (body: () => (km.layers.Layer | km.LayersModel)[]) => (seed: number): km.Sequential => {
  km.utils.setRandomSeed(seed);
  const model = km.sequential([...body(), km.layers.flatten(), km.layers.dense({ units: 2 })] as km.layers.Layer[]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'mse' });
  return model;
};
const onSequences: FitWith<km.LayersModel> = (m, callbacks) => m.fit(sequences, y, { epochs: EPOCHS, batchSize: 8, verbose: 0, callbacks });
const onImages: FitWith<km.LayersModel> = (m, callbacks) => m.fit(images, y, { epochs: EPOCHS, batchSize: 8, verbose: 0, callbacks });

const inputShape = [STEPS, FEATURES];
const lstmWithDropout = (seed?: number) => km.layers.lstm({ units: 4, dropout: 0.3, recurrentDropout: 0.3, ...(seed === undefined ? {} : { seed }) });
const nestedWithDropout = () => km.sequential([km.layers.dense({ units: 4, activation: 'relu', inputShape }), km.layers.dropout({ rate: 0.5, seed: 3 })]);

const cases: [string, () => (km.layers.Layer | km.LayersModel)[], FitWith<km.LayersModel>][] = [
  ['a seeded Dropout in TimeDistributed', () => [km.layers.timeDistributed({ layer: km.layers.dropout({ rate: 0.5, seed: 3 }), inputShape })], onSequences],
  ['a seeded GaussianNoise in TimeDistributed', () => [km.layers.timeDistributed({ layer: km.layers.gaussianNoise({ stddev: 0.5, seed: 3 }), inputShape })], onSequences],
  ['a Bidirectional seeded LSTM with dropout and recurrentDropout', () => [km.layers.bidirectional({ layer: lstmWithDropout(3), inputShape })], onSequences],
  ['an RNN of seeded LSTM cells with dropout', () => [km.layers.rnn({ cell: [km.layers.lstmCell({ units: 4, dropout: 0.3, recurrentDropout: 0.3, seed: 3 }), km.layers.lstmCell({ units: 3, dropout: 0.3, seed: 4 })], inputShape })], onSequences],
  ['a seeded Dropout in a nested Sequential', () => [nestedWithDropout()], onSequences],
  ['a seeded Dropout in a nested Sequential in a nested Sequential', () => [km.sequential([nestedWithDropout()])], onSequences],
  ['an unseeded Bidirectional LSTM with dropout (the global generator)', () => [km.layers.bidirectional({ layer: lstmWithDropout(), inputShape })], onSequences],
  ['a seeded GaussianNoise, GaussianDropout and AlphaDropout', () => [
    km.layers.gaussianNoise({ stddev: 0.5, seed: 3, inputShape }), km.layers.gaussianDropout({ rate: 0.3, seed: 4 }), km.layers.alphaDropout({ rate: 0.3, seed: 5 }),
  ], onSequences],
  ['a seeded SpatialDropout1D', () => [km.layers.spatialDropout1d({ rate: 0.5, seed: 3, inputShape })], onSequences],
  ['a seeded RandomFlip and RandomTranslation', () => [km.layers.randomFlip({ seed: 3, inputShape: [4, 4, 1] }), km.layers.randomTranslation({ heightFactor: 0.3, widthFactor: 0.3, seed: 4 })], onImages],
];

describe('km.callbacks.backupAndRestore resumes the random layers inside wrappers and nested models bit for bit', () => {
  it.each(cases)('%s', async (_, body, fit) => {
    const { full, resumed, expected, got } = await interruptedRun(built(body), fit, CRASH_AT, newDir());
    expect(resumed.epoch).toEqual([2, 3]);
    expect(resumed.history.loss).toEqual(full.history.loss.slice(CRASH_AT));
    expect(got).toEqual(expected);
    // The layers do draw: resumed from a backup without the generators' state, the run goes elsewhere.
    const blind = await interruptedRun(built(body), fit, CRASH_AT, newDir(), dropFromBackup('random'));
    expect(blind.got).not.toEqual(expected);
  });

  it('a functional model applying a nested model with a seeded Dropout', async () => {
    const build = (seed: number) => {
      km.utils.setRandomSeed(seed);
      const input = km.input({ shape: inputShape });
      const hidden = nestedWithDropout().apply(input) as km.SymbolicTensor;
      const output = km.layers.dense({ units: 2 }).apply(km.layers.flatten().apply(hidden)) as km.SymbolicTensor;
      const model = km.model({ inputs: input, outputs: output });
      model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'mse' });
      return model;
    };
    const { full, resumed, expected, got } = await interruptedRun(build, onSequences, CRASH_AT, newDir());
    expect(resumed.history.loss).toEqual(full.history.loss.slice(CRASH_AT));
    expect(got).toEqual(expected);
  });
});
