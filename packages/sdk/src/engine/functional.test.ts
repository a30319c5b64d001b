import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { concat, conv2d, dense, finiteDifferences, zip, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const same3: WindowSpec = { kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' };

type Merge = 'add' | 'concatenate' | 'multiply' | 'average';
const MERGES: Record<Merge, (a: Image, b: Image) => Image> = {
  add: (a, b) => zip(a, b, (u, v) => u + v),
  concatenate: concat,
  multiply: (a, b) => zip(a, b, (u, v) => u * v),
  average: (a, b) => zip(a, b, (u, v) => (u + v) / 2),
};

describe('functional models: fan-out gradients against float64 finite differences', () => {
  // h = tanh(conv(x)); r = conv(h); out = dense(flatten(merge(h, r))): h feeds both the branch
  // and the merge, so its gradient must sum both paths.
  it.each(Object.keys(MERGES) as Merge[])('residual block with %s', async (merge) => {
    const random = new Random(3);
    km.utils.setRandomSeed(4);
    const shape: [number, number, number] = [5, 4, 2];
    const x = km.input({ shape });
    const h = km.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh', biasInitializer: 'glorotUniform' }).apply(x);
    const r = km.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', biasInitializer: 'glorotUniform' }).apply(h);
    const merged = km.layers[merge]().apply([h, r]);
    const out = km.layers.dense({ units: 2, biasInitializer: 'glorotUniform' }).apply(km.layers.flatten().apply(merged));
    const model = km.model({ inputs: x, outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });

    const n = 3;
    const xs = Array.from({ length: n }, () => Array.from({ length: 40 }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: n }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const w = model.getWeights().map((t) => Array.from(t.dataSync()));
    const forward = (v: number[]): number[] => {
      const hImage = conv2d({ h: 5, w: 4, c: 2, data: v }, w[0], w[1], same3);
      const hAct = { ...hImage, data: hImage.data.map(Math.tanh) };
      const rImage = conv2d(hAct, w[2], w[3], same3);
      return dense(MERGES[merge](hAct, rImage).data, w[4], w[5]);
    };
    const loss = () => xs.reduce((s, v, i) => s + forward(v).reduce((t, p, j) => t + (p - ys[i][j]) ** 2, 0) / 2, 0) / n;
    const xt = km.tensor(xs.flat(), [n, ...shape]);
    const predicted = model.predict(xt).arraySync() as number[][];
    xs.forEach((v, i) => forward(v).forEach((p, j) => expect(predicted[i][j]).toBeCloseTo(p, 5)));
    const actual = await kerasmGradients(model, 'meanSquaredError', xt, km.tensor(ys));
    expectGradientsClose(actual, finiteDifferences(w, loss), ['convA/kernel', 'convA/bias', 'convB/kernel', 'convB/bias', 'dense/kernel', 'dense/bias']);
  });

  it('a residual CNN trains on real MNIST and evaluates', async () => {
    km.utils.setRandomSeed(1);
    const { train, test } = await km.datasets.mnist.load();
    const x = km.input({ shape: [28, 28] });
    const image = km.layers.reshape({ targetShape: [28, 28, 1] }).apply(x);
    const stem = km.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(image);
    const branch = km.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(stem);
    const sum = km.layers.add().apply([stem, branch]);
    const pooled = km.layers.maxPooling2d().apply(sum);
    const out = km.layers.dense({ units: 10, activation: 'softmax' }).apply(km.layers.flatten().apply(pooled));
    const model = km.model({ inputs: x, outputs: out });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(train.x.slice(0, 2048), train.y.slice(0, 2048), { epochs: 2, batchSize: 64, verbose: 0 });
    expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);
    const [, accuracy] = await model.evaluate(test.x.slice(0, 1000), test.y.slice(0, 1000), { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.6);
  });
});

describe('functional API errors name the layers involved', () => {
  it('mismatched shapes into Add', () => {
    const x = km.input({ shape: [6, 6, 1] });
    const a = km.layers.conv2d({ filters: 4, kernelSize: 3, name: 'branch_a' }).apply(x);
    const b = km.layers.conv2d({ filters: 4, kernelSize: 1, name: 'branch_b' }).apply(x);
    expect(() => km.layers.add({ name: 'join' }).apply([a, b])).toThrow(/Add layer 'join' cannot broadcast its inputs' shapes together: \(None, 4, 4, 4\) and \(None, 6, 6, 4\)/);
  });

  it('an input that is not connected to the outputs', () => {
    const x = km.input({ shape: [3], name: 'features' });
    const unused = km.input({ shape: [2], name: 'side_channel' });
    const y = km.layers.dense({ units: 1, name: 'head' }).apply(x);
    expect(() => km.model({ inputs: [x, unused], outputs: y })).toThrow(/Input 'side_channel' is not connected to the outputs \['head'\]/);
  });

  it('an output that depends on an input the model does not list', () => {
    const x = km.input({ shape: [3], name: 'listed' });
    const other = km.input({ shape: [3], name: 'missing' });
    const y = km.layers.add({ name: 'sum' }).apply([x, other]);
    expect(() => km.model({ inputs: x, outputs: y })).toThrow(/Layer 'sum' depends on input 'missing'/);
  });

  it('a graph with a cycle', async () => {
    const { Graph } = await import('./graph.js');
    const a = km.layers.dense({ units: 2, name: 'loop_a' });
    const b = km.layers.dense({ units: 2, name: 'loop_b' });
    const nodes = [
      { layer: a, inbound: [1], outputShape: [2] },
      { layer: b, inbound: [0], outputShape: [2] },
    ];
    expect(() => Graph.fromNodes([[2]], ['x'], nodes, [1])).toThrow(/cycle: 'loop_b' -> 'loop_a' -> 'loop_b'|cycle: 'loop_a' -> 'loop_b' -> 'loop_a'/);
  });

  it('applying a layer to something that is neither a symbolic tensor nor a km.Tensor', () => {
    const layer = km.layers.dense({ units: 2, name: 'once' });
    // A km.Tensor is data that apply computes on now (concrete_apply.test.ts); a nested array is not one.
    expect(() => layer.apply([[1, 2]] as unknown as km.SymbolicTensor)).toThrow(/Layer 'once'\.apply expects symbolic tensors .* or km\.Tensor data to compute now, but input 0 is Array/);
  });

  it('a shared layer applied to an input of another shape', () => {
    const embed = km.layers.dense({ units: 2, name: 'embed' });
    embed.apply(km.input({ shape: [4] }));
    expect(() => embed.apply(km.input({ shape: [5] }))).toThrow(
      /Layer 'embed' \(Dense\) was built for input shape \(None, 4\), but this call gives it \(None, 5\)\. A layer applied several times \(a shared layer\) keeps one set of weights.*Give this input its own Dense layer, or bring it to \(None, 4\) first\./,
    );
    const conv = km.layers.conv2d({ filters: 2, kernelSize: 3, name: 'tower' });
    conv.apply(km.input({ shape: [8, 8, 1] }));
    expect(() => conv.apply(km.input({ shape: [6, 6, 1] }))).toThrow(/Layer 'tower' \(Conv2D\) was built for input shape \(None, 8, 8, 1\), but this call gives it \(None, 6, 6, 1\)/);
    const join = km.layers.add({ name: 'join' });
    const [p, q] = [km.input({ shape: [3] }), km.input({ shape: [3] })];
    join.apply([p, q]);
    expect(() => join.apply([p, q, q])).toThrow(/Layer 'join' \(Add\) was built for input shape \(None, 3\) and \(None, 3\), but this call gives it \(None, 3\) and \(None, 3\) and \(None, 3\)/);
  });

  it('bad input shapes for km.input', () => {
    expect(() => km.input({ shape: [0, 3] })).toThrow(/Received: shape=\[0,3\]/);
  });
});

describe('summary of a functional model', () => {
  it('lists the inputs and what each layer is connected to', () => {
    const x = km.input({ shape: [8, 8, 1], name: 'pixels' });
    const h = km.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'stem' }).apply(x);
    const r = km.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'branch' }).apply(h);
    const sum = km.layers.add({ name: 'residual' }).apply([h, r]);
    const model = km.model({ inputs: x, outputs: sum, name: 'tiny_resnet' });
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    expect(lines[0]).toBe('Model: "tiny_resnet"');
    expect(lines[2]).toMatch(/Layer \(type\)\s+Output Shape\s+Param #\s+Connected to/);
    expect(lines.find((l) => l.includes('pixels (InputLayer)'))).toMatch(/\(None, 8, 8, 1\)\s+0/);
    expect(lines.find((l) => l.includes('residual (Add)'))).toMatch(/\(None, 8, 8, 2\)\s+0\s+stem\[0\]\[0\], branch\[0\]\[0\]$/);
    expect(lines.find((l) => l.includes('branch (Conv2D)'))).toMatch(/38\s+stem\[0\]\[0\]$/);
    expect(lines).toContain('Total params: 58');
  });

  it('lists a shared layer once, with its parameters counted once and one connection per call', () => {
    const left = km.input({ shape: [4], name: 'left' });
    const right = km.input({ shape: [4], name: 'right' });
    const embed = km.layers.dense({ units: 4, name: 'embed' });
    const twice = embed.apply(embed.apply(km.layers.dense({ units: 4, name: 'pre' }).apply(left)));
    const joined = km.layers.concatenate({ name: 'joined' }).apply([twice, embed.apply(right)]);
    const model = km.model({ inputs: [left, right], outputs: joined, name: 'siamese' });
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    const at = lines.findIndex((l) => l.includes('embed (Dense)'));
    expect(lines.filter((l) => l.includes('embed (Dense)'))).toHaveLength(1);
    expect(lines[at]).toMatch(/\(None, 4\)\s+20\s+(pre\[0\]\[0\]|right\[0\]\[0\])$/);
    const calls = [lines[at], lines[at + 1], lines[at + 2]].map((l) => l.trim().split(/\s+/).pop());
    expect(calls.sort()).toEqual(['embed[0][0]', 'pre[0][0]', 'right[0][0]'].sort());
    expect(lines.find((l) => l.includes('joined (Concatenate)'))).toMatch(/embed\[\d\]\[0\], embed\[\d\]\[0\]$/);
    expect(lines).toContain('Total params: 40');
    expect(model.countParams()).toBe(40);
  });
});
