import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const [length, vocabulary] = [40, 8];

/** Token sequences labelled by their first token (is it below vocabulary / 2?), the rest noise. */
function firstTokenTask(n: number, seed: number) {
  const random = new Random(seed);
  const tokens = Int32Array.from({ length: n * length }, () => Math.floor(random.uniform(0, vocabulary)));
  const labels = Float32Array.from({ length: n }, (_, i) => (tokens[i * length] < vocabulary / 2 ? 1 : 0));
  return { x: km.tensor(tokens, [n, length], 'int32'), y: km.tensor(labels, [n, 1]) };
}

async function heldOutAccuracy(recurrent: km.layers.Layer): Promise<{ accuracy: number; params: number }> {
  km.utils.setRandomSeed(3);
  const model = km.sequential([km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [length] }), recurrent, km.layers.dense({ units: 1, activation: 'sigmoid' })]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const train = firstTokenTask(256, 1);
  await model.fit(train.x, train.y, { epochs: 8, batchSize: 32, seed: 4, verbose: 0 });
  const test = firstTokenTask(256, 2);
  const [, accuracy] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
  return { accuracy, params: model.countParams() };
}

describe('Bidirectional learns what a forward-only recurrent layer cannot in the same budget', () => {
  it('the label is the first of 40 tokens: the backward direction reads it last, a forward LSTM with more parameters must carry it 40 steps', async () => {
    const both = await heldOutAccuracy(km.layers.bidirectional({ layer: km.layers.lstm({ units: 4 }) }));
    const forward = await heldOutAccuracy(km.layers.lstm({ units: 8 }));
    expect(forward.params).toBeGreaterThan(both.params);
    expect(both.accuracy).toBeGreaterThan(0.95);
    expect(forward.accuracy).toBeLessThan(0.75);
  });
});
