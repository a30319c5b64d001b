import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { concat, conv2d, dense, finiteDifferences, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import { weightOrder } from './params.js';

beforeAll(() => km.ready());

const same3: WindowSpec = { kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' };

/** The model's weights as float64 arrays keyed by weight name (`conv/kernel`). */
function weightsByName(model: km.LayersModel): Map<string, number[]> {
  const values = model.getWeights();
  return new Map(weightOrder(model.allLayers).map(({ spec }, i) => [spec.name, Array.from(values[i].dataSync())]));
}

function randomRows(n: number, size: number, random: Random): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: size }, () => random.uniform(-1, 1)));
}

describe('shared layers: gradients against float64 finite differences', () => {
  // One Conv2D at three nodes: on input a, on input b, and again on its own output for b (its
  // im2col workspace and output must be per node). Its kernel's gradient sums all three calls.
  it('a Conv2D applied to two inputs and in series', async () => {
    const random = new Random(5);
    km.utils.setRandomSeed(6);
    const shape: [number, number, number] = [5, 4, 2];
    const a = km.input({ shape, name: 'a' });
    const b = km.input({ shape, name: 'b' });
    const conv = km.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'tanh', biasInitializer: 'glorotUniform', name: 'conv' });
    const ha = conv.apply(a);
    const hb = conv.apply(conv.apply(b));
    const merged = km.layers.concatenate().apply([ha, hb]);
    const out = km.layers.dense({ units: 2, biasInitializer: 'glorotUniform', name: 'head' }).apply(km.layers.flatten().apply(merged));
    const model = km.model({ inputs: [a, b], outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(model.layers.filter((l) => l === conv)).toHaveLength(1);

    const n = 3;
    const [as, bs, ys] = [randomRows(n, 40, random), randomRows(n, 40, random), randomRows(n, 2, random)];
    const w = weightsByName(model);
    const [kernel, bias, headKernel, headBias] = ['conv/kernel', 'conv/bias', 'head/kernel', 'head/bias'].map((name) => w.get(name)!);
    const convTanh = (x: Image): Image => {
      const y = conv2d(x, kernel, bias, same3);
      return { ...y, data: y.data.map(Math.tanh) };
    };
    const forward = (va: number[], vb: number[]): number[] => {
      const image = (data: number[]): Image => ({ h: 5, w: 4, c: 2, data });
      return dense(concat(convTanh(image(va)), convTanh(convTanh(image(vb)))).data, headKernel, headBias);
    };
    const loss = () => as.reduce((s, va, i) => s + forward(va, bs[i]).reduce((t, p, j) => t + (p - ys[i][j]) ** 2, 0) / 2, 0) / n;
    const [at, bt] = [km.tensor(as.flat(), [n, ...shape]), km.tensor(bs.flat(), [n, ...shape])];
    const rows = model.predict([at, bt]).arraySync() as number[][];
    as.forEach((va, i) => forward(va, bs[i]).forEach((p, j) => expect(rows[i][j]).toBeCloseTo(p, 5)));

    const actual = await kerasmGradients(model, 'meanSquaredError', [at, bt], km.tensor(ys));
    const names = weightOrder(model.allLayers).map(({ spec }) => spec.name);
    expectGradientsClose(actual, finiteDifferences(names.map((name) => w.get(name)!), loss), names);
  });

  // A siamese Dense with an L2 penalty: the penalty and its gradient count once, not per node.
  it('a regularized Dense shared by two inputs of a siamese model', async () => {
    const random = new Random(8);
    km.utils.setRandomSeed(9);
    const l2 = 0.05;
    const left = km.input({ shape: [4], name: 'left' });
    const right = km.input({ shape: [4], name: 'right' });
    const shared = km.layers.dense({ units: 3, activation: 'tanh', biasInitializer: 'glorotUniform', kernelRegularizer: km.regularizers.l2({ l2 }), name: 'embed' });
    const joined = km.layers.concatenate().apply([shared.apply(left), shared.apply(right)]);
    const out = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'head' }).apply(joined);
    const model = km.model({ inputs: [left, right], outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });

    const n = 4;
    const [ls, rs] = [randomRows(n, 4, random), randomRows(n, 4, random)];
    const ys = Array.from({ length: n }, (_, i) => [i % 2]);
    const w = weightsByName(model);
    const [kernel, bias, headKernel, headBias] = ['embed/kernel', 'embed/bias', 'head/kernel', 'head/bias'].map((name) => w.get(name)!);
    const embed = (v: number[]) => dense(v, kernel, bias).map(Math.tanh);
    const loss = () => {
      const data = ls.reduce((s, vl, i) => {
        const p = 1 / (1 + Math.exp(-dense([...embed(vl), ...embed(rs[i])], headKernel, headBias)[0]));
        return s - (ys[i][0] * Math.log(p) + (1 - ys[i][0]) * Math.log(1 - p));
      }, 0) / n;
      return data + l2 * kernel.reduce((s, v) => s + v * v, 0);
    };
    const x = [km.tensor(ls), km.tensor(rs)];
    const [reported] = await model.evaluate(x, km.tensor(ys), { verbose: 0 });
    expect(reported).toBeCloseTo(loss(), 5);

    const actual = await kerasmGradients(model, 'binaryCrossentropy', x, km.tensor(ys));
    const names = weightOrder(model.allLayers).map(({ spec }) => spec.name);
    expectGradientsClose(actual, finiteDifferences(names.map((name) => w.get(name)!), loss), names);
  });
});
