import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const VALUES = [1, 2, 3, 4, 5, 6, 0, -2, 7];
const ints = () => km.tensor(Int32Array.from(VALUES), [3, 3], 'int32');
const floats = () => km.tensor(VALUES, [3, 3]);
const y = km.tensor([[1, 0], [0, 1], [1, 1]]);

/** Dense(2) over an input declared int32, made the ways a ported model declares it. */
const MODELS: [string, () => km.LayersModel][] = [
  ['a Sequential with inputDType', () => km.sequential([km.layers.dense({ units: 2, inputShape: [3], inputDType: 'int32' })])],
  ['a Sequential after an int32 inputLayer', () => km.sequential([km.layers.inputLayer({ inputShape: [3], dtype: 'int32' }), km.layers.dense({ units: 2 })])],
  ['a functional model on km.input({ dtype })', () => {
    const ids = km.input({ shape: [3], dtype: 'int32' });
    return km.model({ inputs: ids, outputs: km.layers.dense({ units: 2 }).apply(ids) as km.SymbolicTensor });
  }],
];

function compiled(make: () => km.LayersModel): km.LayersModel {
  km.utils.setRandomSeed(3);
  const m = make();
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

/** x·kernel + bias by a naive loop, from the model's own weights. */
function dense(m: km.LayersModel): number[] {
  const [kernel, bias] = m.getWeights().map((w) => Array.from(w.dataSync()));
  return [0, 1, 2].flatMap((i) => [0, 1].map((j) => bias[j] + [0, 1, 2].reduce((s, k) => s + VALUES[i * 3 + k] * kernel[k * 2 + j], 0)));
}

describe('an input the model declares int32, read by a Dense', () => {
  it.each(MODELS)('%s: predict, evaluate and fit take an int32 tensor, as tfjs casts it, and give what whole float32 values give', async (_, make) => {
    const m = compiled(make);
    expect(m.inputs[0].dtype).toBe('int32');
    const predicted = Array.from(m.predict(ints()).dataSync());
    dense(m).forEach((v, i) => expect(predicted[i]).toBeCloseTo(v, 5));
    expect(predicted).toEqual(Array.from(m.predict(floats()).dataSync()));
    expect(m.evaluate(ints(), y, { verbose: 0 })).toEqual(m.evaluate(floats(), y, { verbose: 0 }));
    const twin = compiled(make);
    const fromInts = await m.fit(ints(), y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    const fromFloats = await twin.fit(floats(), y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(fromInts.history.loss).toEqual(fromFloats.history.loss);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(twin.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it.each(MODELS)('%s: a float32 value that is no whole number is refused, naming the sample and the fix, before anything runs', async (_, make) => {
    const m = compiled(make);
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    const x = km.tensor([1, 2, 3, 4, 5.5, 6, 0, 1, 2], [3, 3]);
    const message = "x holds 5.5 at sample 1 (position 1 of the sample), but the model declares this input int32, which takes whole numbers. Round the values (or pass an int32 tensor), or declare the input float32: km.input({ shape, dtype: 'float32' }), or no inputDType on the first layer.";
    expect(() => m.predict(x)).toThrow(message);
    await expect(m.evaluate(x, y, { verbose: 0 })).rejects.toThrow(message);
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(message);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('fit and evaluate on a dataset read its int32 batches the same way, and refuse fractional float32 ones', async () => {
    const m = compiled(MODELS[0][1]);
    const twin = compiled(MODELS[0][1]);
    const rows = (values: number[]) => [0, 1, 2].map((i) => values.slice(i * 3, i * 3 + 3));
    const batches = (x: km.data.Dataset<km.Tensor | number[]>) => km.data.zip({ xs: x, ys: km.data.array(y.arraySync() as number[][]) }).batch(2);
    const intRows = km.data.array(rows(VALUES)).map((r) => km.tensor(Int32Array.from(r), [3], 'int32'));
    expect((await batches(intRows).take(1).toArray())[0].xs.dtype).toBe('int32');
    const fromDataset = await m.fit(batches(intRows), { epochs: 2, verbose: 0 });
    const fromTensors = await twin.fit(ints(), y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(fromDataset.history.loss).toEqual(fromTensors.history.loss);
    await expect(m.evaluate(batches(km.data.array([[0.5, 1, 2]])), { verbose: 0 })).rejects.toThrow(/xs holds 0\.5 at sample 0 \(position 0 of the sample\), but the model declares this input int32/);
  });

  it('with two inputs, only the one declared int32 takes int32, and the error names the input', async () => {
    const ids = km.input({ shape: [3], dtype: 'int32', name: 'ids' });
    const feats = km.input({ shape: [3], name: 'feats' });
    const out = km.layers.dense({ units: 2 }).apply(km.layers.concatenate().apply([ids, feats]) as km.SymbolicTensor) as km.SymbolicTensor;
    const m = km.model({ inputs: [ids, feats], outputs: out });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(Array.from(m.predict([ints(), floats()]).dataSync())).toEqual(Array.from(m.predict([floats(), floats()]).dataSync()));
    expect(() => m.predict([ints(), ints()])).toThrow(/^x\[1\] \('feats'\) must be float32 but is int32/);
    expect(() => m.predict({ ids: km.tensor([[0.25, 1, 2]]), feats: km.tensor([[0, 1, 2]]) })).toThrow(/^x\['ids'\] holds 0\.25 at sample 0 \(position 0 of the sample\), but the model declares this input int32/);
  });

  it('an input declared float32 still refuses int32 for a Dense, naming both fixes', () => {
    const m = km.sequential([km.layers.dense({ units: 1, inputShape: [3] })]);
    expect(() => m.predict(ints())).toThrow(/^x must be float32 but is int32\. Convert it with .*, or declare the model's input int32 \(km\.input\(\{ shape, dtype: 'int32' \}\), or inputDType: 'int32' on the first layer\)/);
  });
});
