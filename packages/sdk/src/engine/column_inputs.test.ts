import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Keras 3 and tfjs expand a column of one value per sample, [n], to the [n, 1] an input of shape
// [1] takes (keras.io's structured-data example feeds each feature column so).

beforeAll(() => km.ready());

function twoColumnModel(): km.LayersModel {
  km.utils.setRandomSeed(3);
  const [age, dose] = [km.input({ shape: [1], name: 'age' }), km.input({ shape: [1], name: 'dose' })];
  const joined = km.layers.concatenate().apply([age, dose]) as km.SymbolicTensor;
  const model = km.model({ inputs: [age, dose], outputs: km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(joined) as km.SymbolicTensor });
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
  return model;
}

describe('an input of shape [1] fed a column of shape [n]', () => {
  it('trains, evaluates and predicts exactly as with [n, 1]', async () => {
    const [ages, doses, labels] = [[0.1, 0.5, 0.9, 0.3], [1, 0, 1, 0], [0, 1, 1, 0]];
    const columns = { age: km.tensor(ages), dose: km.tensor(doses) };
    const matrices = { age: km.tensor(ages, [4, 1]), dose: km.tensor(doses, [4, 1]) };
    const [a, b] = [twoColumnModel(), twoColumnModel()];
    const args = { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 as const };
    const lossA = (await a.fit(columns, km.tensor(labels, [4, 1]), args)).history.loss;
    const lossB = (await b.fit(matrices, km.tensor(labels, [4, 1]), args)).history.loss;
    expect(lossA).toEqual(lossB);
    expect(await a.evaluate(columns, km.tensor(labels, [4, 1]), { verbose: 0 })).toEqual(await b.evaluate(matrices, km.tensor(labels, [4, 1]), { verbose: 0 }));
    expect(Array.from((a.predict(columns) as km.Tensor).dataSync())).toEqual(Array.from((b.predict(matrices) as km.Tensor).dataSync()));
  });

  it('still refuses a column for an input of another shape, naming the reshape', () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
    expect(() => model.predict(km.tensor([1, 2, 3]))).toThrow(/expects shape \(None, 2\), but x has shape \[3\]/);
  });
});
