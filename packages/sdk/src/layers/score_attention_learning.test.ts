import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// A lookup only attention solves: each sample is a sequence of distinct tokens, each with a 0/1
// label, and a query token that occurs once in it; the target is the label at that token. The
// query (its embedding) attends to its own token among the keys (the tokens' embeddings) and reads the label from
// the values. The same model with the attention replaced by the averages of the labels and of the
// keys, beside the query, cannot bind the query to a step, so it stays near a guess.
beforeAll(() => km.ready());

const [n, steps, vocabulary, features] = [512, 6, 9, 8];
const random = new Random(101);

function lookupTask(count: number) {
  const tokens = new Int32Array(count * steps);
  const labels = new Float32Array(count * steps);
  const query = new Int32Array(count);
  const targets = new Float32Array(count);
  for (let s = 0; s < count; s++) {
    const pool = Array.from({ length: vocabulary - 1 }, (_, i) => i + 1);
    for (let t = 0; t < steps; t++) {
      tokens[s * steps + t] = pool.splice(Math.floor(random.next() * pool.length), 1)[0];
      labels[s * steps + t] = random.next() < 0.5 ? 1 : 0;
    }
    const at = Math.floor(random.next() * steps);
    query[s] = tokens[s * steps + at];
    targets[s] = labels[s * steps + at];
  }
  return {
    x: [km.tensor(tokens, [count, steps], 'int32'), km.tensor(labels, [count, steps, 1]), km.tensor(query, [count, 1], 'int32')],
    y: km.tensor(targets, [count, 1]),
  };
}

const train = lookupTask(n);
const test = lookupTask(256);

async function testAccuracy(read: (query: km.SymbolicTensor, labels: km.SymbolicTensor, keys: km.SymbolicTensor) => km.SymbolicTensor): Promise<number> {
  km.utils.setRandomSeed(5);
  const [tokens, labels, query] = [km.input({ shape: [steps] }), km.input({ shape: [steps, 1] }), km.input({ shape: [1] })];
  const embed = (x: km.SymbolicTensor) => km.layers.embedding({ inputDim: vocabulary, outputDim: features }).apply(x);
  const read1 = read(embed(query), labels, embed(tokens));
  const out = km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(km.layers.dense({ units: 8, activation: 'relu' }).apply(km.layers.flatten().apply(read1)));
  const model = km.model({ inputs: [tokens, labels, query], outputs: out });
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.x, train.y, { epochs: 30, batchSize: 32, verbose: 0, seed: 1 });
  const [, accuracy] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
  return accuracy;
}

describe('Attention and AdditiveAttention learn a lookup that needs attention', () => {
  it('each reaches high test accuracy where averaging the labels stays near a guess', async () => {
    const average = (x: km.SymbolicTensor) => km.layers.globalAveragePooling1d().apply(x);
    const baseline = await testAccuracy((query, labels, keys) => km.layers.concatenate().apply([average(labels), km.layers.flatten().apply(query), average(keys)]));
    const luong = await testAccuracy((query, labels, keys) => km.layers.attention({ useScale: true }).apply([query, labels, keys]));
    const bahdanau = await testAccuracy((query, labels, keys) => km.layers.additiveAttention().apply([query, labels, keys]));
    expect(baseline).toBeLessThan(0.8);
    expect(luong).toBeGreaterThan(0.95);
    expect(bahdanau).toBeGreaterThan(0.95);
  });
});
