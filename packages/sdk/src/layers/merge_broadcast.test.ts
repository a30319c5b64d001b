import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectSameModelFit } from '../testing/tfjs_model_parity.js';
import { expectSgdStepMatchesLoss } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Elementwise merges of inputs whose shapes broadcast (right-aligned, size 1 repeats), against a
// naive float64 loop, finite differences and tfjs-layers 4.22.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const random = new Random(41);
const draw = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

type Op = (values: number[]) => number;
const OPS: Record<string, { make: () => km.layers.Layer; op: Op }> = {
  add: { make: () => km.layers.add(), op: (v) => v.reduce((a, b) => a + b) },
  subtract: { make: () => km.layers.subtract(), op: ([a, b]) => a - b },
  multiply: { make: () => km.layers.multiply(), op: (v) => v.reduce((a, b) => a * b) },
  average: { make: () => km.layers.average(), op: (v) => v.reduce((a, b) => a + b) / v.length },
  maximum: { make: () => km.layers.maximum(), op: (v) => Math.max(...v) },
  minimum: { make: () => km.layers.minimum(), op: (v) => Math.min(...v) },
};

/** The naive broadcast of batches: each output position reads every input at its own index, 0 on size-1 axes. */
function naiveMerge(op: Op, inputs: readonly Float32Array[], shapes: readonly (readonly number[])[], out: readonly number[]): number[] {
  return Array.from({ length: size(out) }, (_, flat) => {
    const at: number[] = [];
    for (let axis = out.length - 1, rest = flat; axis >= 0; axis--) {
      at[axis] = rest % out[axis];
      rest = Math.floor(rest / out[axis]);
    }
    return op(inputs.map((x, k) => {
      const shape = shapes[k];
      let index = 0;
      // Axis 0 is the batch, which every input has; the sample axes align at the last one.
      shape.forEach((d, i) => (index = index * d + (d === 1 ? 0 : at[i === 0 ? 0 : i + out.length - shape.length])));
      return x[index];
    }));
  });
}

describe('merges broadcast their inputs as Keras and tfjs do', () => {
  const shapes = [[2, 3, 1, 4], [2, 5, 1], [2, 4]] as const;
  const out = [2, 3, 5, 4];
  const binary = [[2, 1, 4], [2, 3, 1]] as const;

  it.each(Object.keys(OPS))('%s: values against a naive loop, output shape from the inputs', (name) => {
    const { make, op } = OPS[name];
    const used = name === 'subtract' ? binary : shapes;
    const full = name === 'subtract' ? [2, 3, 4] : out;
    const values = used.map((s) => draw(size(s)));
    const y = make().apply(values.map((v, k) => km.tensor(v, [...used[k]]))) as km.Tensor;
    expect(y.shape).toEqual(full);
    const naive = naiveMerge(op, values, used, full);
    y.dataSync().forEach((v, i) => expect(v).toBeCloseTo(naive[i], 5));
  });

  it.each(Object.keys(OPS))('%s: the gradients summed back into the repeated inputs match finite differences', async (name) => {
    const { make, op } = OPS[name];
    // Dense layers feed the merge, so one SGD step's change of their weights is the gradient through it.
    const [a, b] = [km.input({ shape: [2, 3] }), km.input({ shape: [5, 2] })];
    const da = km.layers.reshape({ targetShape: [1, 2, 1] }).apply(km.layers.dense({ units: 1, useBias: false }).apply(a) as km.SymbolicTensor) as km.SymbolicTensor;
    const db = km.layers.reshape({ targetShape: [5, 1, 1] }).apply(km.layers.dense({ units: 1, useBias: false }).apply(b) as km.SymbolicTensor) as km.SymbolicTensor;
    const merged = make().apply([da, db]) as km.SymbolicTensor;
    const model = km.model({ inputs: [a, b], outputs: merged });
    expect(merged.shape).toEqual([5, 2, 1]);
    const n = 3;
    const [xa, xb, target] = [draw(n * 6), draw(n * 10), draw(n * 10)];
    const before = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const loss = (p: number[]) => {
      let sum = 0;
      for (let s = 0; s < n; s++) {
        // a's dense gives 2 values per sample (rows of 3 · kernel), b's gives 5; out[i][j] = op(a[j], b[i]).
        const av = [0, 1].map((j) => [0, 1, 2].reduce((t, c) => t + xa[s * 6 + j * 3 + c] * p[c], 0));
        const bv = [0, 1, 2, 3, 4].map((i) => [0, 1].reduce((t, c) => t + xb[s * 10 + i * 2 + c] * p[3 + c], 0));
        for (let i = 0; i < 5; i++) for (let j = 0; j < 2; j++) sum += (op([av[j], bv[i]]) - target[s * 10 + i * 2 + j]) ** 2;
      }
      return sum / (n * 10);
    };
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'meanSquaredError' });
    await model.fit([km.tensor(xa, [n, 2, 3]), km.tensor(xb, [n, 5, 2])], km.tensor(target, [n, 5, 2, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expectSgdStepMatchesLoss(before, model.getWeights().flatMap((w) => Array.from(w.dataSync())), loss);
  });

  it('predictions and 3 epochs of SGD match tfjs-layers 4.22 on a model that repeats inputs along several axes', async () => {
    const build = (api: typeof km | typeof tfl) => {
      const inputOf = (shape: number[]) => (api === km ? km.input({ shape }) : tfl.input({ shape })) as never;
      const [a, b] = [inputOf([3, 4]), inputOf([5, 4])];
      const ra = api.layers.reshape({ targetShape: [3, 1, 4], name: 'ra' }).apply(api.layers.dense({ units: 4, activation: 'tanh', name: 'da' }).apply(a) as never) as never;
      const db = api.layers.dense({ units: 4, name: 'db' }).apply(b) as never;
      const gate = api.layers.reshape({ targetShape: [3, 1, 1], name: 'rg' }).apply(api.layers.dense({ units: 1, activation: 'sigmoid', name: 'dg' }).apply(a) as never) as never;
      const sum = api.layers.add({ name: 'sum' }).apply([ra, db]) as never;
      const gated = api.layers.multiply({ name: 'gated' }).apply([sum, gate]) as never;
      // tfjs-layers 4.22 cannot train Maximum or Minimum of inputs it broadcasts ("Error in gradient for op Maximum"), so here they take full-size ones.
      const mixed = api.layers.average({ name: 'mixed' }).apply([api.layers.maximum({ name: 'hi' }).apply([gated, sum]) as never, api.layers.minimum({ name: 'lo' }).apply([sum, gated]) as never, db]) as never;
      const outputs = api.layers.dense({ units: 2, name: 'head' }).apply(api.layers.flatten({ name: 'flat' }).apply(mixed) as never) as never;
      return api === km ? km.model({ inputs: [a, b], outputs }) : tfl.model({ inputs: [a, b], outputs });
    };
    const n = 12;
    await expectSameModelFit(
      { ours: build(km) as km.LayersModel, theirs: build(tfl) as tfl.LayersModel, x: [[draw(n * 12), [n, 3, 4]], [draw(n * 20), [n, 5, 4]]], y: [[draw(n * 2), [n, 2]]], losses: ['meanSquaredError'] },
      { learningRate: 0.1, batchSize: 5 },
    );
  });

  it('refuses shapes that do not broadcast, naming the axis and the fix', () => {
    const [a, b] = [km.input({ shape: [3, 4] }), km.input({ shape: [2, 4] })];
    expect(() => km.layers.add({ name: 'join' }).apply([a, b])).toThrow(/Add layer 'join' cannot broadcast its inputs' shapes together: \(None, 3, 4\) and \(None, 2, 4\) \(input 1 has 2 on axis 1, where the inputs before it have 3\)\. .*give one of them size 1 there/);
  });

  it('refuses a mask on an input it repeats, and passes the mask of a full-size input on', () => {
    const tokens = km.input({ shape: [6] });
    const embedded = km.layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true }).apply(tokens) as km.SymbolicTensor;
    const bias = km.input({ shape: [1, 4] });
    const onFull = km.layers.add().apply([embedded, bias]) as km.SymbolicTensor;
    const pooled = km.layers.lstm({ units: 2 }).apply(onFull) as km.SymbolicTensor;
    expect(() => km.model({ inputs: [tokens, bias], outputs: pooled })).not.toThrow();
    const one = km.input({ shape: [1] });
    const short = km.layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true }).apply(one) as km.SymbolicTensor;
    const wide = km.input({ shape: [6, 4] });
    const repeated = km.layers.add({ name: 'rep' }).apply([short, wide]) as km.SymbolicTensor;
    expect(() => km.model({ inputs: [one, wide], outputs: repeated })).toThrow(/Add layer 'rep' repeats its input of shape \(None, 1, 4\) to \(None, 6, 4\), but that input carries the mask of layer/);
  });
});
