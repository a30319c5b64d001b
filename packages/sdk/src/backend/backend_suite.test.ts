import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from './registry.js';
import type { ActivationKind, Backend, InputActivationKind } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, loadMnist, useBackend, deviceIO, runsOn, kernelOutput, type KernelRun } from '../testing/backends_here.js';
import { REF_ELEMENTWISE, refActivate } from '../testing/reference.js';
import { expectClose } from '../testing/expect_close.js';

// One suite for every backend that runs here (Node, or Chromium in browser mode): each kernel
// against a naive loop, then training against the wasm backend's trajectory.
const BACKENDS = BACKENDS_HERE;
const ACTIVATION_KINDS: ActivationKind[] = [
  'linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'relu6', 'exponential', 'hardSigmoid',
  'leaky_relu', 'hard_tanh', 'log_sigmoid', 'logSoftmax',
  'squareplus', 'soft_shrink', 'hard_shrink', 'sparse_plus', 'sparsemax',
];

const random = new Random(2024);
const randomArray = (n: number, scale = 1) => Float32Array.from({ length: n }, () => random.uniform(-scale, scale));

function naiveMatMul(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

describe.each(BACKENDS)('backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it('reports its name, and reads synchronously (WebGPU refuses to, naming the async read)', async () => {
    expect(km.getBackend()).toBe(name);
    const id = upload(Float32Array.from([1.5, -2]));
    if (name === 'tfjs-webgpu') {
      expect(() => b.read(id, 2, 'float32')).toThrow(/does not read values back synchronously: .* Use the async forms, e\.g\. `await tensor\.data\(\)`/);
      return;
    }
    expect(Array.from(b.read(id, 2, 'float32'))).toEqual([1.5, -2]);
  });

  it('stores, views and gathers rows', async () => {
    const id = upload(Float32Array.from([1, 2, 3, 4, 5, 6]));
    const middle = b.view(id, 2, 2);
    expect(Array.from(await download(middle, 2))).toEqual([3, 4]);
    b.write(middle, Float32Array.from([30, 40]));
    expect(Array.from(await download(id, 6))).toEqual([1, 2, 30, 40, 5, 6]);
    const dst = b.alloc(4, 'float32');
    b.gatherRows(dst, Float32Array.from([0, 1, 10, 11, 20, 21]), Int32Array.from([2, 0, 1]), 1, 2, 2);
    expect(Array.from(await download(dst, 4))).toEqual([0, 1, 10, 11]);
    b.fill(dst, 4, 7);
    expect(Array.from(await download(dst, 4))).toEqual([7, 7, 7, 7]);
  });

  it.each([
    [false, false, false], [true, false, false], [false, true, false], [false, false, true], [true, false, true],
  ])('matMul transA=%s transB=%s accumulate=%s on odd sizes', async (transA, transB, accumulate) => {
    for (const [m, n, k] of [[1, 1, 1], [3, 17, 5], [65, 10, 63]]) {
      const a = randomArray(m * k);
      const bb = randomArray(k * n);
      const c0 = randomArray(m * n);
      const c = upload(c0);
      b.matMul(upload(a), upload(bb), c, m, n, k, transA, transB, accumulate);
      const expected = naiveMatMul(a, bb, m, n, k, transA, transB).map((v, i) => v + (accumulate ? c0[i] : 0));
      expectClose(await download(c, m * n), expected);
    }
  });

  it('gathers rows and reports the first one holding NaN or Infinity when asked', async () => {
    const src = Float32Array.from({ length: 5 * 3 }, (_, i) => i);
    const dst = b.alloc(3 * 3, 'float32');
    const order = Int32Array.from([4, 0, 2, 1, 3]);
    expect(b.gatherRows(dst, src, order, 1, 3, 3, true)).toBe(-1);
    expectClose(await download(dst, 9), [0, 1, 2, 6, 7, 8, 3, 4, 5]);
    src[3 * 3 + 1] = NaN;
    src[1 * 3 + 2] = Infinity;
    // Rows 0, 2, 1, 3 of src in that order: row 1 (third in the batch) is the first bad one.
    expect(b.gatherRows(b.alloc(4 * 3, 'float32'), src, order, 1, 4, 3, true)).toBe(2);
    expect(b.gatherRows(dst, src, order, 1, 2, 3, true)).toBe(-1);
    expect(b.gatherRows(dst, src, order, 1, 4, 3, false)).toBe(-1);
  });

  it('gathers integer label rows and rows longer than 16 values in any order, as a naive copy does', async () => {
    const order = Int32Array.from([5, 2, 7, 0, 3, 6, 1, 4]);
    const labels = Int32Array.from([3, 1, 4, 1, 5, 9, 2, 6]);
    const dstLabels = b.alloc(5, 'int32');
    b.gatherRows(dstLabels, labels, order, 2, 5, 1);
    expect(Array.from(await b.readAsync(dstLabels, 5, 'int32'))).toEqual([6, 3, 1, 2, 1]);
    const row = 37;
    const src = randomArray(8 * row);
    const dst = b.alloc(5 * row, 'float32');
    b.gatherRows(dst, src, order, 2, 5, row);
    const expected = [...order.subarray(2, 7)].flatMap((r) => Array.from(src.subarray(r * row, (r + 1) * row)));
    expect(Array.from(await download(dst, 5 * row))).toEqual(expected);
  });

  it('adds biases and sums columns', async () => {
    const [rows, cols] = [5, 3];
    const x = randomArray(rows * cols);
    const bias = randomArray(cols);
    const xId = upload(x);
    b.biasAdd(xId, upload(bias), rows, cols);
    expectClose(await download(xId, rows * cols), x.map((v, i) => v + bias[i % cols]));
    const out = upload(Float32Array.from([1, 1, 1]));
    b.columnSum(upload(x), out, rows, cols, true);
    expectClose(await download(out, cols), [0, 1, 2].map((c) => 1 + [0, 1, 2, 3, 4].reduce((s, r) => s + x[r * cols + c], 0)));
  });

  it.each(ACTIVATION_KINDS)('%s forward and backward, fused with a matMul and bias and with the bias gradient', async (kind) => {
    const [rows, cols] = [4, 6];
    const x = randomArray(rows * cols, 3);
    const dy = randomArray(rows * cols);
    const f = (row: number[]): number[] => refActivate(row, kind);
    const y = upload(new Float32Array(rows * cols));
    b.activation(kind, upload(x), y, rows, cols);
    const expectedY: number[] = [];
    const expectedDx: number[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
      expectedY.push(...f(row));
      // Vector-Jacobian product by central differences of Σ dy·f(x).
      for (let c = 0; c < cols; c++) {
        const h = 1e-6;
        const up = row.slice();
        const down = row.slice();
        up[c] += h;
        down[c] -= h;
        const dot = (v: number[]) => v.reduce((s, yv, j) => s + yv * dy[r * cols + j], 0);
        expectedDx.push(kind === 'relu' ? (row[c] > 0 ? dy[r * cols + c] : 0) : (dot(f(up)) - dot(f(down))) / (2 * h));
      }
    }
    expectClose(await download(y, rows * cols), expectedY);
    const dx = upload(new Float32Array(rows * cols));
    b.activationGrad(kind, y, upload(dy), dx, rows, cols);
    expectClose(await download(dx, rows * cols), expectedDx, 1e-4);
    // The same gradient with the bias gradient (its column sums) added to what dBias held.
    const dBias0 = randomArray(cols, 4);
    const dx2 = upload(new Float32Array(rows * cols)), dBias = upload(dBias0);
    b.activationGradBias(kind, y, upload(dy), dx2, dBias, rows, cols, true);
    expectClose(await download(dx2, rows * cols), expectedDx, 1e-4);
    const expectedDBias = Array.from(dBias0, (v, c) => v + expectedDx.filter((_, i) => i % cols === c).reduce((s, d) => s + d, 0));
    expectClose(await download(dBias, cols), expectedDBias, 1e-4);
    if (kind === 'softmax' || kind === 'logSoftmax' || kind === 'sparsemax') return;
    // The fused forward pass: f(A·B + bias), against a naive loop.
    const k = 5;
    const a = randomArray(rows * k, 5), w = randomArray(k * cols, 6), bias = randomArray(cols, 7);
    const z = upload(new Float32Array(rows * cols));
    b.matMulBiasActivation(upload(a), upload(w), upload(bias), z, rows, cols, k, kind);
    const expectedZ: number[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from({ length: cols }, (_, c) => bias[c] + Array.from({ length: k }, (_, p) => a[r * k + p] * w[p * cols + c]).reduce((s, v) => s + v, 0));
      expectedZ.push(...f(row));
    }
    expectClose(await download(z, rows * cols), expectedZ);
  });

  it.each(['swish', 'gelu', 'gelu_new', 'mish', 'hard_silu', 'tanh_shrink'] satisfies InputActivationKind[])('%s from the input: forward, backward and the bias gradient against float64', async (kind) => {
    const [rows, cols] = [3, 7];
    // ±6 and two far values, where tails and saturation show.
    const x = Float32Array.from([...randomArray(rows * cols - 2, 6), -12, 12]);
    const dy = randomArray(rows * cols);
    const f = REF_ELEMENTWISE[kind];
    const y = upload(new Float32Array(rows * cols));
    b.inputActivation(kind, upload(x), y, rows * cols);
    expectClose(await download(y, rows * cols), Array.from(x, f));
    const h = 1e-6;
    const expectedDx = Array.from(x, (v, i) => (dy[i] * (f(v + h) - f(v - h))) / (2 * h));
    const dx = upload(new Float32Array(rows * cols));
    b.inputActivationGrad(kind, upload(x), upload(dy), dx, 0, rows, cols);
    expectClose(await download(dx, rows * cols), expectedDx, 1e-5);
    // In place (dx = dy) with the bias gradient, which overwrites what dBias held.
    const dyInPlace = upload(dy), dBias = upload(randomArray(cols, 4));
    b.inputActivationGrad(kind, upload(x), dyInPlace, dyInPlace, dBias, rows, cols);
    expectClose(await download(dyInPlace, rows * cols), expectedDx, 1e-5);
    const expectedDBias = Array.from({ length: cols }, (_, c) => expectedDx.filter((_, i) => i % cols === c).reduce((s, d) => s + d, 0));
    expectClose(await download(dBias, cols), expectedDBias, 1e-5);
  });

  it('glu: forward a ⊙ σ(b) per row and the gradient against central differences in float64', async () => {
    const [rows, half] = [3, 5];
    const x = randomArray(rows * 2 * half, 6);
    const dy = randomArray(rows * half);
    const gluRow = (row: number[]): number[] => row.slice(0, half).map((a, c) => a / (1 + Math.exp(-row[half + c])));
    const y = upload(new Float32Array(rows * half));
    b.glu(upload(x), y, rows, half);
    const xRows = Array.from({ length: rows }, (_, r) => Array.from(x.subarray(r * 2 * half, (r + 1) * 2 * half)));
    expectClose(await download(y, rows * half), xRows.flatMap(gluRow));
    const h = 1e-6;
    const expectedDx = xRows.flatMap((row, r) => row.map((_, c) => {
      const up = row.slice(), down = row.slice();
      up[c] += h;
      down[c] -= h;
      const dot = (v: number[]) => v.reduce((s, yv, j) => s + yv * dy[r * half + j], 0);
      return (dot(gluRow(up)) - dot(gluRow(down))) / (2 * h);
    }));
    const dx = upload(new Float32Array(rows * 2 * half));
    b.gluGrad(upload(x), upload(dy), dx, rows, half);
    expectClose(await download(dx, rows * 2 * half), expectedDx, 1e-4);
  });

  it('fused softmax cross-entropy: loss, probabilities and gradient', async () => {
    const [rows, cols] = [3, 4];
    const logits = randomArray(rows * cols, 2);
    const labels = Int32Array.from([2, 0, 3]);
    const probs = upload(new Float32Array(rows * cols));
    const grad = upload(new Float32Array(rows * cols));
    const loss = await b.softmaxCrossEntropy(upload(logits), upload(labels), true, probs, grad, rows, cols, 1 / rows);
    let expectedLoss = 0;
    const expectedGrad: number[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from(logits.subarray(r * cols, (r + 1) * cols)).map(Math.exp);
      const s = row.reduce((a, c) => a + c, 0);
      const p = row.map((v) => v / s);
      expectedLoss -= Math.log(p[labels[r]]);
      p.forEach((v, c) => expectedGrad.push((v - (c === labels[r] ? 1 : 0)) / rows));
    }
    expect(loss).toBeCloseTo(expectedLoss, 4);
    expectClose(await download(grad, rows * cols), expectedGrad);
    expect(await b.countArgmaxMatches(probs, upload(labels), true, rows, cols)).toBe(
      [0, 1, 2].filter((r) => {
        const row = Array.from(logits.subarray(r * cols, (r + 1) * cols));
        return row.indexOf(Math.max(...row)) === labels[r];
      }).length,
    );
  });

  it('binary cross-entropy and mean squared error', async () => {
    const p = Float32Array.from([0.1, 0.8, 0.5, 0.99]);
    const t = Float32Array.from([0, 1, 1, 0]);
    const grad = upload(new Float32Array(4));
    const bce = await b.binaryCrossEntropy(upload(p), upload(t), grad, 4, 0.25);
    expect(bce).toBeCloseTo(-[0, 1, 2, 3].reduce((s, i) => s + t[i] * Math.log(p[i]) + (1 - t[i]) * Math.log(1 - p[i]), 0), 4);
    expectClose(await download(grad, 4), [0, 1, 2, 3].map((i) => ((p[i] - t[i]) / (p[i] * (1 - p[i]))) * 0.25), 1e-4);
    const mse = await b.meanSquaredError(upload(p), upload(t), grad, 4, 0.5);
    expect(mse).toBeCloseTo([0, 1, 2, 3].reduce((s, i) => s + (p[i] - t[i]) ** 2, 0), 5);
    expectClose(await download(grad, 4), [0, 1, 2, 3].map((i) => 2 * (p[i] - t[i]) * 0.5));
    expect(await b.countBinaryMatches(upload(p), upload(t), 4, 0.5)).toBe(2);
  });

  it('row-wise losses (categorical hinge, cosine similarity) against naive loops and finite differences', async () => {
    const [rows, cols] = [4, 5];
    const p = randomArray(rows * cols, 2);
    const t = Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === (i / cols) % cols ? 1 : 0.25 * (i % 3)));
    const norm = (v: number[]) => Math.sqrt(Math.max(v.reduce((a, x) => a + x * x, 0), 1e-12));
    const refs = {
      categoricalHinge: (pr: number[], tr: number[]) => Math.max(Math.max(...pr.map((v, j) => (1 - tr[j]) * v)) - pr.reduce((a, v, j) => a + tr[j] * v, 0) + 1, 0),
      cosineSimilarity: (pr: number[], tr: number[]) => -pr.reduce((a, v, j) => a + (v / norm(pr)) * (tr[j] / norm(tr)), 0),
    };
    for (const kind of ['categoricalHinge', 'cosineSimilarity'] as const) {
      const grad = upload(new Float32Array(rows * cols));
      const loss = await b.rowwiseLoss(kind, upload(p), upload(t), grad, rows, cols, 0.5);
      let expected = 0;
      const fd: number[] = [];
      for (let r = 0; r < rows; r++) {
        const pr = Array.from(p.subarray(r * cols, (r + 1) * cols));
        const tr = Array.from(t.subarray(r * cols, (r + 1) * cols));
        expected += refs[kind](pr, tr);
        for (let j = 0; j < cols; j++) {
          const up = pr.slice(), down = pr.slice();
          up[j] += 1e-6;
          down[j] -= 1e-6;
          fd.push((0.5 * (refs[kind](up, tr) - refs[kind](down, tr))) / 2e-6);
        }
      }
      expect(loss).toBeCloseTo(expected, 4);
      expectClose(await download(grad, rows * cols), fd, 1e-4);
    }
  });

  it('regularize: penalty and its gradient added to the existing one', async () => {
    const w = randomArray(9);
    const g = randomArray(9);
    const grad = upload(g);
    const penalty = await b.regularize(upload(w), grad, 9, 0.03, 0.2);
    expect(penalty).toBeCloseTo(Array.from(w).reduce((s, x) => s + 0.03 * Math.abs(x) + 0.2 * x * x, 0), 5);
    expectClose(await download(grad, 9), Array.from(w, (x, i) => g[i] + 0.03 * Math.sign(x) + 0.4 * x));
  });

  it('normConstraint: each norm over the middle axis rescaled as Keras MinMaxNorm does', async () => {
    const [outer, reduce, inner] = [2, 3, 4];
    const w = randomArray(outer * reduce * inner);
    const id = upload(w);
    b.normConstraint(id, outer, reduce, inner, 0.6, 0.9, 0.7);
    const expected = Array.from(w);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const at = (r: number) => (o * reduce + r) * inner + j;
        const norm = Math.hypot(...Array.from({ length: reduce }, (_, r) => w[at(r)]));
        const desired = 0.7 * Math.min(Math.max(norm, 0.6), 0.9) + 0.3 * norm;
        for (let r = 0; r < reduce; r++) expected[at(r)] = (w[at(r)] * desired) / (norm + 1e-7);
      }
    }
    expectClose(await download(id, w.length), expected);
  });

  it('Adam and SGD with momentum over a trainable prefix', async () => {
    const n = 5;
    const params0 = randomArray(n + 2);
    const g = randomArray(n + 2);
    const params = upload(params0);
    const grads = upload(g);
    const m = upload(new Float32Array(n));
    const v = upload(new Float32Array(n));
    b.adamUpdate(params, grads, m, v, n, 0.01, 0.9, 0.999, 1e-7);
    const expected = Array.from(params0).map((p, i) => (i < n ? p - (0.01 * 0.1 * g[i]) / (Math.sqrt(0.001 * g[i] * g[i]) + 1e-7) : p));
    expectClose(await download(params, n + 2), expected);
    const velocity = upload(new Float32Array(n));
    b.sgdUpdate(params, grads, velocity, n, 0.1, 0.9, false);
    expectClose(await download(params, n + 2), expected.map((p, i) => (i < n ? p - 0.1 * g[i] : p)));
  });
});

describe('training on every backend', () => {
  let x: km.Tensor;
  let y: km.Tensor;
  beforeAll(async () => {
    const { train } = await loadMnist();
    x = train.x.slice(0, 1280);
    y = train.y.slice(0, 1280);
  });
  afterAll(() => useBackend('wasm'));

  async function trajectory(name: string): Promise<{ losses: number[]; tensors: number[] }> {
    await useBackend(name);
    km.utils.setRandomSeed(21);
    const model = km.sequential([
      km.layers.flatten({ inputShape: [28, 28] }),
      km.layers.dense({ units: 32, activation: 'relu' }),
      km.layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const losses: number[] = [];
    const tensors: number[] = [];
    const tf = name === 'wasm' ? null : await import('@tensorflow/tfjs-core');
    await model.fit(x, y, {
      epochs: 3, batchSize: 64, seed: 4, verbose: 0,
      callbacks: {
        onBatchEnd: (batch, logs) => void (batch < 20 && losses.length < 20 && losses.push(logs.loss)),
        onEpochEnd: () => void (tf && tensors.push(tf.memory().numTensors)),
      },
    });
    return { losses, tensors };
  }

  it.each(BACKENDS.filter((n) => n !== 'wasm'))('%s follows the wasm loss trajectory for 20 steps and keeps its tensor count flat', async (name) => {
    const reference = await trajectory('wasm');
    const { losses, tensors } = await trajectory(name);
    expect(losses).toHaveLength(20);
    losses.forEach((loss, i) => expect(Math.abs(loss - reference.losses[i])).toBeLessThan(1e-4));
    expect(new Set(tensors).size).toBe(1);
  });

  it.each(BACKENDS)('%s: predict and getWeights results stay on the device until read, and reading or disposing them frees it', async (name) => {
    await useBackend(name);
    const model = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
    const kernel = randomArray(12);
    const bias = randomArray(4);
    model.setWeights([km.tensor(kernel, [3, 4]), km.tensor(bias, [4])]);
    const inputs = km.tensor(randomArray(15), [5, 3]);
    const x = inputs.dataSync();
    const expected = Float64Array.from({ length: 20 }, (_, i) => {
      const [row, col] = [Math.floor(i / 4), i % 4];
      let z = bias[col];
      for (let p = 0; p < 3; p++) z += x[row * 3 + p] * kernel[p * 4 + col];
      return Math.tanh(z);
    });
    // Batches of 2: two full batches and a partial one, each plan made before memory is counted.
    await model.predict(inputs, { batchSize: 2 }).data();
    await model.predict(inputs.slice(0, 1), { batchSize: 2 }).data();
    const before = backend().memoryBytes();
    const out = model.predict(inputs, { batchSize: 2 });
    const weights = model.getWeights();
    // Off the wasm heap the result and the weight copies are device buffers until read.
    if (!backend().hostResident) expect(backend().memoryBytes()).toBeGreaterThan(before);
    expect(out.shape).toEqual([5, 4]);
    expectClose(await out.data(), expected);
    expectClose(await weights[0].data(), kernel);
    expectClose(await weights[1].data(), bias);
    expect((await out.array()) as number[][]).toHaveLength(5);
    expect(backend().memoryBytes()).toBe(before);
    const unread = model.predict(inputs, { batchSize: 2 });
    model.getWeights().forEach((w) => w.dispose());
    unread.dispose();
    expect(backend().memoryBytes()).toBe(before);
    await expect(unread.data()).rejects.toThrow(/This tensor was disposed/);
    // Another model takes these weights without a read back (on the device where they are).
    const twin = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
    const copies = model.getWeights();
    twin.setWeights(copies);
    copies.forEach((w) => w.dispose());
    expectClose(await twin.predict(inputs).data(), expected);
    twin.dispose();
    // Saving reads the weights and the optimizer's state without blocking, too.
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await model.fit(inputs, km.tensor(randomArray(20), [5, 4]), { epochs: 1, batchSize: 5, verbose: 0 });
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (saved = a)), { includeOptimizer: true });
    const names = saved!.weightSpecs!.map((w) => w.name);
    expect(names).toHaveLength(2 + 1 + 2 * 2);
    const trained = await Promise.all(model.getWeights().map((w) => w.data()));
    const kernelBytes = new Float32Array(saved!.weightData as ArrayBuffer, 0, 12);
    expectClose(kernelBytes, trained[0]);
    model.dispose();
  });

  it.each(BACKENDS)('%s: another model\'s predictions and layer weights feed predict, fit, evaluate and layer.setWeights (of a model run or not yet) where they are', async (name) => {
    await useBackend(name);
    const teacher = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
    const inputs = km.tensor(randomArray(15), [5, 3]);
    const start = [randomArray(12), randomArray(4)];
    const student = () => {
      const model = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
      model.setWeights([km.tensor(start[0], [3, 4]), km.tensor(start[1], [4])]);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return model;
    };
    const [fromDevice, fromHost] = [student(), student()];
    const onHost = km.tensor(await teacher.predict(inputs).data(), [5, 4]);
    // Distillation: the teacher's predictions, still unread, are the student's targets (WebGPU reads them without blocking).
    const deviceLosses = (await fromDevice.fit(inputs, teacher.predict(inputs), { epochs: 3, batchSize: 2, seed: 8, verbose: 0 })).history.loss;
    const hostLosses = (await fromHost.fit(inputs, onHost, { epochs: 3, batchSize: 2, seed: 8, verbose: 0 })).history.loss;
    expect(deviceLosses).toEqual(hostLosses);
    expect(deviceLosses[2]).toBeLessThan(deviceLosses[0]);
    expect(await fromDevice.evaluate(inputs, teacher.predict(inputs), { verbose: 0 })).toEqual(await fromHost.evaluate(inputs, onHost, { verbose: 0 }));
    // A layer takes another layer's weights copy on the device.
    const copies = teacher.layers[0].getWeights();
    fromDevice.layers[0].setWeights(copies);
    copies.forEach((w) => w.dispose());
    expectClose(await fromDevice.predict(inputs).data(), onHost.dataSync());
    // So does a layer no model has run yet (its copies wait on the device for the model's first use).
    const before = backend().memoryBytes();
    const fresh = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
    const teacherWeights = teacher.layers[0].getWeights();
    fresh.layers[0].setWeights(teacherWeights);
    const expectedWeights = await Promise.all(teacherWeights.map((w) => w.data()));
    const freshWeights = await Promise.all(fresh.layers[0].getWeights().map((w) => w.data()));
    freshWeights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(expectedWeights[i])));
    expectClose(await fresh.predict(inputs).data(), onHost.dataSync());
    fresh.dispose();
    expect(backend().memoryBytes()).toBe(before);
    // A second model predicts from the first one's unread predictions (an encoder's codes into a decoder).
    const head = km.sequential([km.layers.dense({ units: 2, activation: 'sigmoid', inputShape: [4] })]);
    const chained = head.predict(teacher.predict(inputs), { batchSize: 2 });
    expect(Array.from(await chained.data())).toEqual(Array.from(await head.predict(onHost, { batchSize: 2 }).data()));
    [teacher, fromDevice, fromHost, head].forEach((m) => m.dispose());
  });

  it.each(BACKENDS)('%s: model.dispose() frees everything the model allocated, and the model then refuses to run', async (name) => {
    await useBackend(name);
    const trainAndDispose = async () => {
      const model = km.sequential([km.layers.flatten({ inputShape: [28, 28] }), km.layers.dense({ units: 32, activation: 'relu' }), km.layers.dense({ units: 10, activation: 'softmax' })]);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x.slice(0, 256), y.slice(0, 256), { epochs: 1, batchSize: 64, verbose: 0 });
      const held = backend().memoryBytes();
      model.dispose();
      return { model, held };
    };
    // The first run leaves what the backend itself keeps (e.g. its batch index buffer).
    await trainAndDispose();
    const before = backend().memoryBytes();
    const { model, held } = await trainAndDispose();
    expect(held).toBeGreaterThan(before);
    expect(backend().memoryBytes()).toBe(before);
    expect(() => model.predict(x.slice(0, 1))).toThrow(/'sequential_\d+' was disposed: its weights are freed/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' })).toThrow(/was disposed/);
  });
});

// Every optimizer (with each clipping option) and every loss, a few steps on each backend against
// the wasm backend's trajectory on the same data and initial weights.
