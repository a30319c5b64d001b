import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';

beforeAll(() => km.ready());

const x = km.tensor(Float32Array.from({ length: 32 }, (_, i) => Math.sin(i * 0.7)), [8, 4]);
const y = km.tensor(Float32Array.from({ length: 16 }, (_, i) => Math.cos(i)), [8, 2]);

function expectSame(a: km.Tensor, b: km.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
}

describe('layer.apply on concrete tensors shares the layer with its models', () => {
  it('a layer trained in a model gives what predict of a one-layer model over it gives', async () => {
    km.utils.setRandomSeed(5);
    const hidden = km.layers.dense({ units: 6, activation: 'relu', inputShape: [4] });
    const model = km.sequential([hidden, km.layers.dense({ units: 2 })]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const before = hidden.apply(x);
    await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, seed: 1 });
    const after = hidden.apply(x);
    // Training changed the weights apply reads.
    expect(Array.from(after.dataSync())).not.toEqual(Array.from(before.dataSync()));
    expectSame(after, km.model({ inputs: model.inputs, outputs: hidden.output }).predict(x));
    expectSame(after, km.sequential([hidden]).predict(x));
  });

  it('a layer applied before any model keeps its built weights when put into a sequential', () => {
    km.utils.setRandomSeed(6);
    const layer = km.layers.dense({ units: 3 });
    const applied = layer.apply(x);
    const weights = layer.getWeights();
    const model = km.sequential([layer, km.layers.activation({ activation: 'linear' })]);
    expect(model.layers[0].getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights.map((w) => Array.from(w.dataSync())));
    expectSame(model.predict(x), applied);
  });

  it('builds with the weights a model would draw under the same seed', () => {
    km.utils.setRandomSeed(7);
    const applied = km.layers.dense({ units: 5 });
    applied.apply(x);
    km.utils.setRandomSeed(7);
    const inModel = km.layers.dense({ units: 5, inputShape: [4] });
    km.sequential([inModel]).predict(x);
    expect(applied.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(inModel.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it('sees setWeights made after an earlier apply, and its output matches x·kernel + bias', () => {
    const layer = km.layers.dense({ units: 2 });
    layer.apply(x);
    const kernel = km.tensor([1, 0, 0, 1, 2, 0, 0, -1], [4, 2]);
    layer.setWeights([kernel, km.tensor([0.5, -0.5])]);
    const out = layer.apply(x).dataSync();
    const v = x.dataSync();
    for (let r = 0; r < 8; r++) {
      const row = v.subarray(r * 4, r * 4 + 4);
      expect(out[r * 2]).toBeCloseTo(row[0] + 2 * row[2] + 0.5, 5);
      expect(out[r * 2 + 1]).toBeCloseTo(row[1] - row[3] - 0.5, 5);
    }
  });

  it('records no symbolic call: layer.output and getOutputAt are unchanged, and the layer is not shared', () => {
    const fresh = km.layers.dense({ units: 2 });
    fresh.apply(x);
    expect(() => fresh.output).toThrow(/has not been called yet/);
    const inModel = km.layers.dense({ units: 2, inputShape: [4] });
    const model = km.sequential([inModel]);
    const output = inModel.output;
    inModel.apply(x);
    inModel.apply(x);
    expect(inModel.output).toBe(output);
    expect(() => inModel.getOutputAt(1)).toThrow(/has 1 output/);
    expect(model.outputs[0]).toBe(output);
  });

  it('runs in inference mode unless { training: true }: Dropout passes through or drops', () => {
    const dropout = km.layers.dropout({ rate: 0.5, seed: 3 });
    const ones = km.tensor(new Float32Array(400).fill(1), [4, 100]);
    expect(Array.from(dropout.apply(ones).dataSync()).every((v) => v === 1)).toBe(true);
    const dropped = Array.from(dropout.apply(ones, { training: true }).dataSync());
    const zeros = dropped.filter((v) => v === 0).length;
    expect(dropped.every((v) => v === 0 || v === 2)).toBe(true);
    expect(zeros).toBeGreaterThan(120);
    expect(zeros).toBeLessThan(280);
  });

  it('a frozen BatchNormalization keeps its moving statistics even with { training: true }, as in Keras', () => {
    const bn = km.layers.batchNormalization({ trainable: false });
    const before = bn.apply(x);
    const weights = bn.getWeights().map((w) => Array.from(w.dataSync()));
    expectSame(bn.apply(x, { training: true }), before);
    expect(bn.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights);
  });

  it('Flatten and Reshape, which share their input\'s buffer in a model, return the input\'s values', () => {
    const images = km.tensor(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 2, 2]);
    const flat = km.layers.flatten().apply(images);
    expect(flat.shape).toEqual([2, 12]);
    expect(Array.from(flat.dataSync())).toEqual(Array.from(images.dataSync()));
    expect(km.layers.reshape({ targetShape: [4, 3] }).apply(images).shape).toEqual([2, 4, 3]);
  });

  it('a loop of applies stops allocating after the first call of each batch size', () => {
    const layer = km.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' });
    const images = km.tensor(new Float32Array(2 * 6 * 6 * 2).fill(0.5), [2, 6, 6, 2]);
    layer.apply(images);
    const bytes = backend().memoryBytes();
    for (let i = 0; i < 20; i++) layer.apply(images);
    expect(backend().memoryBytes()).toBe(bytes);
  });
});

describe('layer.apply on concrete tensors rejects bad input with errors that name the fix', () => {
  const dense = km.layers.dense({ units: 2 });
  beforeAll(() => dense.apply(km.tensor([[1, 2, 3]])));

  it('a shape other than the one the layer was built for', () => {
    expect(() => dense.apply(km.tensor([[1, 2]]))).toThrow(/was built for input shape \(None, 3\), but this call gives it \(None, 2\)/);
  });

  it('a tensor without a batch dimension', () => {
    expect(() => dense.apply(km.tensor([1, 2, 3]))).toThrow(/first dimension of a tensor as the batch.*shape \[3\].*x\.reshape\(\[1, 3\]\)/);
  });

  it('a tensor of the wrong rank for the layer', () => {
    expect(() => km.layers.conv2d({ filters: 1, kernelSize: 1 }).apply(km.tensor([[1, 2]]))).toThrow(/expects inputs of shape \(None, height, width, channels\), but received \(None, 2\)/);
  });

  it('int32 data, which tfjs casts for some layers and rejects for others', () => {
    expect(() => dense.apply(km.tensor([[1, 2, 3]], undefined, 'int32'))).toThrow(/computes in float32, but its input is an int32 tensor of shape \[1, 3\].*Float32Array\.from/);
  });

  it('int32 token ids into an Embedding, which reads indices: the rows of its table, and a bad id named', () => {
    const embedding = km.layers.embedding({ inputDim: 6, outputDim: 3 });
    const out = embedding.apply(km.tensor([[5, 0], [2, 5]], undefined, 'int32'));
    const table = embedding.getWeights()[0].arraySync() as number[][];
    expect(out.arraySync()).toEqual([[table[5], table[0]], [table[2], table[5]]]);
    expect(embedding.apply(km.tensor([[5, 0], [2, 5]])).arraySync()).toEqual(out.arraySync());
    expect(() => embedding.apply(km.tensor([[1, 6]], undefined, 'int32'))).toThrow(/\.apply: Embedding layer 'embedding\w*' reads x as indices .* but x holds 6 at sample 0 \(position 1 of the sample\)/);
  });

  it('NaN and Infinity, with predict’s error naming the sample', () => {
    expect(() => dense.apply(km.tensor([[1, 2, 3], [4, NaN, 6]]))).toThrow(/Layer 'dense\w*' \(Dense\)\.apply: x contains NaN at sample 1/);
    expect(() => dense.apply(km.tensor([[Infinity, 2, 3]]))).toThrow(/contains Infinity at sample 0/);
  });

  it('symbolic and concrete tensors mixed', () => {
    expect(() => km.layers.add().apply([km.tensor([[1, 2]]), km.input({ shape: [2] })] as never)).toThrow(/concrete tensors \(km\.tensor\) and symbolic ones.*input 1 is symbolic tensor 'input_\d+'/);
  });

  it('merge inputs with different batch sizes', () => {
    expect(() => km.layers.add().apply([km.tensor([[1, 2]]), km.tensor([[1, 2], [3, 4]])])).toThrow(/input 0 and input 1 must have the same number of samples.*first dimension is the batch/);
  });

  it('something that is not a tensor, a disposed tensor, and bad options', () => {
    expect(() => dense.apply([km.tensor([[1, 2, 3]]), 5] as never)).toThrow(/input 1 is number/);
    const gone = km.tensor([[1, 2, 3]]);
    gone.dispose();
    expect(() => dense.apply([gone, km.tensor([[1, 2, 3]])] as never)).toThrow(/input 0 was disposed/);
    expect(() => dense.apply(km.tensor([[1, 2, 3]]), { trainng: true } as never)).toThrow(/no option 'trainng'; did you mean 'training'/);
    expect(() => dense.apply(km.tensor([[1, 2, 3]]), { training: 'yes' } as never)).toThrow(/training must be true or false. Received: training="yes"/);
    expect(() => km.layers.dense({ units: 1 }).apply(km.input({ shape: [3] }), { training: 'no' } as never)).toThrow(/Layer 'dense(_\d+)?'.apply: training must be true or false. Received: training="no"/);
    expect(km.layers.dense({ units: 1 }).apply(km.input({ shape: [3] }), {} as never).shape).toEqual([1]);
    expect(() => km.layers.dense({ units: 1 }).apply(null as never)).toThrow(/or km\.Tensor data to compute now, but input 0 is null/);
  });
});
