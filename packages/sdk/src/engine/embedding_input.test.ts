import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { sevenBeforeThreeTask } from '../testing/sequence_data.js';

beforeAll(() => km.ready());

function textModel(): km.LayersModel {
  km.utils.setRandomSeed(5);
  const model = km.sequential([
    km.layers.embedding({ inputDim: 10, outputDim: 8, inputShape: [4] }),
    km.layers.conv1d({ filters: 8, kernelSize: 2, activation: 'relu' }),
    km.layers.globalMaxPooling1d(),
    km.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return model;
}

const labels = km.tensor([0, 1, 0], [3, 1]);

describe('Embedding indices are checked before anything runs', () => {
  const cases = [
    { name: 'an index at inputDim', values: [1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 10, 2], message: /Embedding layer 'embedding\w*' reads x as indices into its table of inputDim=10 rows.*but x holds 10 at sample 2 \(position 2 of the sample\)\. Raise inputDim to at least 11, or re-index the vocabulary/ },
    { name: 'a negative index', values: [1, 2, 3, 4, 5, 6, -1, 8, 0, 1, 2, 2], message: /but x holds -1 at sample 1 \(position 2 of the sample\)\. Re-index the vocabulary so that every token id is a whole number from 0 to 9/ },
    { name: 'a fractional index', values: [1, 2.5, 3, 4, 5, 6, 7, 8, 0, 1, 2, 2], message: /but x holds 2\.5 at sample 0 \(position 1 of the sample\)\. Re-index the vocabulary/ },
  ];

  it.each(cases)('$name: fit, evaluate and predict name the sample, the value and the fix, and the weights stay as they were', async ({ values, message }) => {
    const model = textModel();
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const x = km.tensor(values, [3, 4]);
    await expect(model.fit(x, labels, { verbose: 0 })).rejects.toThrow(message);
    await expect(model.evaluate(x, labels, { verbose: 0 })).rejects.toThrow(message);
    expect(() => model.predict(x)).toThrow(message);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('int32 indices feed an Embedding, with the same results as whole float32 values', async () => {
    const model = textModel();
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 9, 2];
    const fromFloats = model.predict(km.tensor(values, [3, 4])).dataSync();
    expect(Array.from(model.predict(km.tensor(Int32Array.from(values), [3, 4], 'int32')).dataSync())).toEqual(Array.from(fromFloats));
    expect((await model.fit(km.tensor(Int32Array.from(values), [3, 4], 'int32'), labels, { verbose: 0 })).history.loss[0]).toBeGreaterThan(0);
  });

  it('int32 features still fail for a model whose first layer does not read indices', () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [4] })]);
    expect(() => model.predict(km.tensor(Int32Array.from([1, 2, 3, 4]), [1, 4], 'int32'))).toThrow(/x must be float32 but is int32/);
  });
});

describe('a text classifier learns a sequence task', () => {
  it('Embedding → Conv1D → GlobalMaxPooling1D learns "token 7 before token 3" to high accuracy in a few epochs', async () => {
    const [length, vocabulary] = [16, 12];
    const train = sevenBeforeThreeTask(2000, length, vocabulary, 1);
    const test = sevenBeforeThreeTask(500, length, vocabulary, 2);
    // The labels come from the tokens; about half are positive, so a constant guess scores about 0.5.
    const positives = test.labels.reduce((a, b) => a + b, 0) / test.labels.length;
    expect(positives).toBeGreaterThan(0.35);
    expect(positives).toBeLessThan(0.65);
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.embedding({ inputDim: vocabulary, outputDim: 8, inputShape: [length] }),
      km.layers.conv1d({ filters: 16, kernelSize: 3, padding: 'causal', dilationRate: 1, activation: 'relu' }),
      km.layers.conv1d({ filters: 16, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
      km.layers.conv1d({ filters: 16, kernelSize: 3, padding: 'causal', dilationRate: 4, activation: 'relu' }),
      km.layers.globalMaxPooling1d(),
      km.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit(km.tensor(train.tokens, [2000, length], 'int32'), km.tensor(train.labels, [2000, 1]), { epochs: 8, batchSize: 32, verbose: 0, seed: 1 });
    const [, accuracy] = await model.evaluate(km.tensor(test.tokens, [500, length], 'int32'), km.tensor(test.labels, [500, 1]), { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.95);
  });
});
