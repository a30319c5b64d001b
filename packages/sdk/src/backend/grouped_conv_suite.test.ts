import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { WindowGeometry } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, kernelOutput, useBackend, type KernelRun } from '../testing/backends_here.js';
import { expectWasmTrajectory, type TrainingCase } from '../testing/wasm_trajectory.js';
import { expectClose } from '../testing/expect_close.js';

// Grouped convolutions (Conv1D/2D/3D with `groups`) on every backend that runs here: groupedMatMul
// against a naive float64 loop, im2col/col2im's grouped layout against the wasm kernels (which
// core-wasm checks against naive loops), and small grouped CNNs of each rank against the wasm
// backend's training trajectory (whose gradients grouped_conv.test.ts checks by finite differences).
describe('grouped convolutions on every backend', () => {
  const random = new Random(57);
  const values = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
  afterAll(() => useBackend('wasm'));

  /** C_g (+)= op(A_g)·op(B_g) in float64, each stored matrix's columns in `groups` blocks. */
  function groupedProduct(a: Float32Array, b: Float32Array, c: Float32Array, groups: number, m: number, n: number, k: number, transA: boolean, transB: boolean): Float32Array {
    const out = Float32Array.from(c);
    const A = (g: number, i: number, p: number) => (transA ? a[p * groups * m + g * m + i] : a[i * groups * k + g * k + p]);
    const B = (g: number, p: number, j: number) => (transB ? b[j * groups * k + g * k + p] : b[p * groups * n + g * n + j]);
    for (let g = 0; g < groups; g++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let sum = c[i * groups * n + g * n + j];
      for (let p = 0; p < k; p++) sum += A(g, i, p) * B(g, p, j);
      out[i * groups * n + g * n + j] = sum;
    }
    return out;
  }

  const [groups, m, n, k] = [3, 13, 6, 10];
  const products = ([[false, false], [true, false], [false, true]] as const).map(([transA, transB]) => {
    const [a, b, c] = [values(groups * m * k), values(groups * k * n), values(groups * m * n)];
    const run: KernelRun = (backend, up) => {
      const out = up(c);
      backend.groupedMatMul(up(a), up(b), out, groups, m, n, k, transA, transB, true);
      return [out, c.length];
    };
    return [`transA=${transA}, transB=${transB}`, run, groupedProduct(a, b, c, groups, m, n, k, transA, transB)] as const;
  });

  const geometry: WindowGeometry = {
    batch: 2, inD: 3, inH: 5, inW: 4, channels: 6, kD: 2, kH: 3, kW: 2, strideD: 1, strideH: 2, strideW: 1,
    dilationD: 1, dilationH: 1, dilationW: 2, padFront: 0, padTop: 1, padLeft: 1, outD: 2, outH: 3, outW: 4, groups: 3,
  };
  const inputSize = 2 * 3 * 5 * 4 * 6;
  const colsSize = 2 * 2 * 3 * 4 * 12 * 6;
  const [x, cols] = [values(inputSize), values(colsSize)];
  const windows: [string, KernelRun][] = [
    ['im2col', (b, up) => { const out = b.alloc(colsSize, 'float32'); b.im2col(up(x), out, geometry); return [out, colsSize]; }],
    ['col2im', (b, up) => { const out = b.alloc(inputSize, 'float32'); b.col2im(up(cols), out, geometry); return [out, inputSize]; }],
  ];

  const samples = 8;
  const labels = km.tensor(Int32Array.from({ length: samples }, (_, i) => i % 3), [samples], 'int32');
  const batchOf = (shape: number[]) => km.tensor(values(samples * shape.reduce((p, v) => p * v, 1)), [samples, ...shape]);
  const [sequences, images, volumes] = [batchOf([12, 4]), batchOf([7, 6, 4]), batchOf([3, 4, 5, 2])];
  const nets: [string, () => TrainingCase][] = [
    ['Conv1D (stride 2, dilation 2, same)', () => ({
      model: km.sequential([
        km.layers.conv1d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', groups: 2, activation: 'relu', inputShape: [12, 4] }),
        km.layers.conv1d({ filters: 6, kernelSize: 2, dilationRate: 2, padding: 'same', groups: 3, activation: 'tanh' }),
        km.layers.globalAveragePooling1d(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ]), x: sequences, y: labels,
    })],
    ['Conv2D (stride 2 same, pointwise, dilation 2)', () => ({
      model: km.sequential([
        km.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', groups: 2, activation: 'relu', inputShape: [7, 6, 4] }),
        km.layers.conv2d({ filters: 4, kernelSize: 1, groups: 4, activation: 'tanh' }),
        km.layers.conv2d({ filters: 6, kernelSize: 2, dilationRate: 2, padding: 'same', groups: 2 }),
        km.layers.flatten(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ]), x: images, y: labels,
    })],
    ['Conv3D (strides [1, 2, 2], same)', () => ({
      model: km.sequential([
        km.layers.conv3d({ filters: 4, kernelSize: 2, strides: [1, 2, 2], padding: 'same', groups: 2, activation: 'relu', inputShape: [3, 4, 5, 2] }),
        km.layers.globalAveragePooling3d(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ]), x: volumes, y: labels,
    })],
  ];

  for (const name of BACKENDS_HERE) {
    it.each(products)(`${name}: groupedMatMul %s matches a naive loop`, async (_label, run, expected) => {
      expectClose(await kernelOutput(name, run), expected, 1e-5);
    });
    if (name === 'wasm') continue;
    it.each(windows)(`${name}: grouped %s matches wasm`, async (_label, run) => {
      const reference = await kernelOutput('wasm', run);
      expectClose(await kernelOutput(name, run), reference, 1e-5);
    });
    it.each(nets)(`${name}: a grouped %s network follows the wasm trajectory`, async (_label, build) => {
      await expectWasmTrajectory(name, build, 'sparseCategoricalCrossentropy', 4);
    });
  }

  it('runs on at least the wasm backend', () => expect(BACKENDS_HERE).toContain('wasm'));
});
