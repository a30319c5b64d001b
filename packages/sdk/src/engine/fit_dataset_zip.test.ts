import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const N = 8;
const random = new Random(3);
const rowsA = Array.from({ length: N }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
const rowsB = Array.from({ length: N }, () => [random.uniform(-1, 1), random.uniform(-1, 1), random.uniform(-1, 1)]);
const targets = Array.from({ length: N }, () => [random.uniform(-1, 1)]);

/** inputA [2] and inputB [3], concatenated into one dense unit. */
function twoInputs(): km.Functional {
  km.utils.setRandomSeed(9);
  const a = km.input({ shape: [2], name: 'inputA' });
  const b = km.input({ shape: [3], name: 'inputB' });
  const joined = km.layers.concatenate().apply([a, b]) as km.SymbolicTensor;
  const model = km.model({ inputs: [a, b], outputs: km.layers.dense({ units: 1, name: 'out' }).apply(joined) as km.SymbolicTensor });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

async function lossesFromTensors(): Promise<number[]> {
  const x = { inputA: km.tensor(rowsA), inputB: km.tensor(rowsB) };
  const history = await twoInputs().fit(x, km.tensor(targets), { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
  return history.history.loss;
}

describe('fit(dataset) on a nested km.data.zip', () => {
  it('{ xs: { inputA, inputB }, ys } zipped from three datasets trains exactly as the same tensors', async () => {
    const ds = km.data.zip({ xs: { inputA: km.data.array(rowsA), inputB: km.data.array(rowsB) }, ys: km.data.array(targets) }).batch(4);
    expect(ds.size).toBe(2);
    const model = twoInputs();
    const history = await model.fit(ds, { epochs: 2, verbose: 0 });
    const expected = await lossesFromTensors();
    history.history.loss.forEach((loss, i) => expect(loss).toBeCloseTo(expected[i], 6));
    const [evaluated] = (await model.evaluate(ds, { verbose: 0 })) as number[];
    expect(Number.isFinite(evaluated)).toBe(true);
  });

  it('xs zipped from an array of tensor datasets is a list of inputs, in order', async () => {
    const xs = [km.data.array(rowsA.map((r) => km.tensor(r))), km.data.array(rowsB.map((r) => km.tensor(r)))];
    const history = await twoInputs().fit(km.data.zip({ xs, ys: km.data.array(targets) }).batch(4), { epochs: 2, verbose: 0 });
    const expected = await lossesFromTensors();
    history.history.loss.forEach((loss, i) => expect(loss).toBeCloseTo(expected[i], 6));
  });
});

describe('fit(dataset) on int32 batches', () => {
  it('trains on Uint8Array and Int32Array rows, which batch() makes int32 as tfjs, as on the same rows as floats', async () => {
    const pixels = Array.from({ length: N }, (_, i) => [i % 4, (3 * i) % 7]);
    const run = async (row: (values: number[]) => ArrayLike<number>) => {
      km.utils.setRandomSeed(4);
      const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const ds = km.data.zip({ xs: km.data.array(pixels.map(row)), ys: km.data.array(targets) }).batch(4);
      const history = await model.fit(ds, { epochs: 2, verbose: 0 });
      return [...history.history.loss, ...((await model.evaluate(ds, { verbose: 0 })) as number[])];
    };
    const [first] = await km.data.array([Uint8Array.of(1, 2)]).batch(1).toArray();
    expect(first.dtype).toBe('int32');
    const fromFloats = await run((v) => Float32Array.from(v));
    expect(await run((v) => Uint8Array.from(v))).toEqual(fromFloats);
    expect(await run((v) => Int32Array.from(v))).toEqual(fromFloats);
  });
});

describe('classWeight for several outputs', () => {
  it('one output\'s class weights for a model with two are refused by fit(dataset) with the error fit(x, y) gives', async () => {
    const build = () => {
      const x = km.input({ shape: [2] });
      const model = km.model({ inputs: x, outputs: [km.layers.dense({ units: 2, activation: 'softmax', name: 'o1' }).apply(x) as km.SymbolicTensor, km.layers.dense({ units: 2, activation: 'softmax', name: 'o2' }).apply(x) as km.SymbolicTensor] });
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      return model;
    };
    const labels = [0, 1, 1, 0];
    const classWeight = { 0: 1, 1: 5 };
    const message = await build().fit(km.tensor(rowsA.slice(0, 4)), [km.tensor(labels, undefined, 'int32'), km.tensor(labels, undefined, 'int32')], { classWeight, verbose: 0 }).then(() => '', (e: Error) => e.message);
    expect(message).toMatch(/classWeight \{"0":1,"1":5\} gives weights for one output's classes, but the model has 2 outputs \['o1', 'o2'\]/);
    const ds = km.data.zip({ xs: km.data.array(rowsA.slice(0, 4)), ys: { o1: km.data.array(labels), o2: km.data.array(labels) } }).batch(4);
    await expect(build().fit(ds, { classWeight, verbose: 0 })).rejects.toThrow(message);
  });
});
