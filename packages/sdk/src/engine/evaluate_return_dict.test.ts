import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// evaluate's, trainOnBatch's and testOnBatch's returnDict (Keras' return_dict): the same values as the list, keyed as the logs are.
beforeAll(() => km.ready());
const x = km.tensor(Array.from({ length: 12 }, (_, i) => [Math.sin(i), Math.cos(i), i / 12]));
const labels = km.tensor(Array.from({ length: 12 }, (_, i) => i % 3), undefined, 'int32');
const values = km.tensor(Array.from({ length: 12 }, (_, i) => [i / 6 - 1]));

describe('evaluate returnDict', () => {
  it('keys a single output\'s loss, metrics and weighted metrics by their log names, in the list\'s order', async () => {
    km.utils.setRandomSeed(1);
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], weightedMetrics: ['accuracy'] });
    const sampleWeight = Array.from({ length: 12 }, (_, i) => (i % 4) / 2);
    const list = await model.evaluate(x, labels, { sampleWeight, verbose: 0 });
    const dict = await model.evaluate(x, labels, { sampleWeight, verbose: 0, returnDict: true });
    expect(Object.keys(dict)).toEqual(['loss', 'accuracy', 'weighted_accuracy']);
    expect(Object.values(dict)).toEqual(list);
    const dataset = km.data.zip({ xs: km.data.array(Array.from({ length: 12 }, (_, i) => x.slice(i, 1).reshape([3]))), ys: km.data.array(Array.from(labels.dataSync())) }).batch(5);
    const fromDataset = await model.evaluate(dataset, { verbose: 0, returnDict: true });
    expect(Object.keys(fromDataset)).toEqual(['loss', 'accuracy', 'weighted_accuracy']);
    expect(fromDataset.accuracy).toBeCloseTo(dict.accuracy, 6);
  });

  it('names each output\'s loss and metrics on a multi-output model', async () => {
    km.utils.clearSession();
    km.utils.setRandomSeed(2);
    const input = km.input({ shape: [3] });
    const cls = km.layers.dense({ units: 3, activation: 'softmax', name: 'class' }).apply(input);
    const value = km.layers.dense({ units: 1, name: 'value' }).apply(input);
    const model = km.model({ inputs: input, outputs: [cls, value] });
    model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'], metrics: { class: ['accuracy'], value: ['mae'] } });
    const list = await model.evaluate(x, [labels, values], { verbose: 0 });
    const dict = await model.evaluate(x, [labels, values], { verbose: 0, returnDict: true });
    expect(Object.keys(dict)).toEqual(['loss', 'class_loss', 'value_loss', 'class_accuracy', 'value_mae']);
    expect(Object.values(dict)).toEqual(list);
    expect(model.metricsNames).toEqual(Object.keys(dict));
    const tested = await model.testOnBatch(x, [labels, values], { returnDict: true });
    expect(Object.keys(tested)).toEqual(Object.keys(dict));
    Object.values(tested).forEach((v, i) => expect(v).toBeCloseTo(list[i], 6));
    const trained = await model.trainOnBatch(x, [labels, values], { returnDict: true });
    expect(trained.loss).toBeCloseTo(tested.loss, 6);
    // Without it, the list as tfjs returns it.
    expect(await model.testOnBatch(x, [labels, values])).toHaveLength(5);
  });
});
