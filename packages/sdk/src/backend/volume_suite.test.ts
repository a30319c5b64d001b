import { afterAll, describe, it } from 'vitest';
import * as km from '../index.js';
import type { WindowGeometry } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, kernelOutput, useBackend, type KernelRun } from '../testing/backends_here.js';
import { expectWasmTrajectory } from '../testing/wasm_trajectory.js';
import { expectClose } from '../testing/expect_close.js';

// The 3-D layers (Conv3D, Conv3DTranspose, the 3-D poolings, padding, cropping, upsampling) on every backend that
// runs here, against the wasm backend's training trajectory; and the window kernels with a depth
// axis against the wasm kernels (which core-wasm checks against naive loops).
describe('3-D layers and volume kernels on every backend', () => {
  const random = new Random(41);
  const clips = km.tensor(Float32Array.from({ length: 8 * 4 * 5 * 6 * 2 }, () => random.uniform(0, 1)), [8, 4, 5, 6, 2]);
  const labels = km.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 3), [8], 'int32');
  afterAll(() => useBackend('wasm'));

  function conv3dNet(): km.LayersModel {
    return km.sequential([
      km.layers.conv3d({ filters: 3, kernelSize: 3, padding: 'same', strides: [1, 2, 2], activation: 'relu', inputShape: [4, 5, 6, 2] }),
      km.layers.maxPooling3d({ poolSize: 2, strides: 1 }),
      km.layers.conv3d({ filters: 4, kernelSize: [1, 2, 2], dilationRate: [1, 1, 2], activation: 'tanh', padding: 'same' }),
      km.layers.averagePooling3d({ poolSize: 2, padding: 'same' }),
      km.layers.globalAveragePooling3d(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  function volumeShapes(): km.LayersModel {
    return km.sequential([
      km.layers.zeroPadding3d({ padding: [[1, 0], [0, 2], [1, 1]], inputShape: [4, 5, 6, 2] }),
      km.layers.conv3d({ filters: 3, kernelSize: 2, strides: 2, activation: 'relu' }),
      km.layers.upSampling3d({ size: [2, 1, 2] }),
      km.layers.cropping3D({ cropping: [[1, 0], [0, 1], [1, 1]] }),
      km.layers.conv3d({ filters: 4, kernelSize: 1, activation: 'tanh' }),
      km.layers.globalMaxPooling3d(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** The 3-D layers channels-first: the channels-last kernels between transposes. */
  function channelsFirstVolumes(): km.LayersModel {
    const dataFormat = 'channelsFirst' as const;
    return km.sequential([
      km.layers.permute({ dims: [4, 1, 2, 3], inputShape: [4, 5, 6, 2] }),
      km.layers.zeroPadding3d({ padding: 1, dataFormat }),
      km.layers.conv3d({ filters: 3, kernelSize: 2, strides: 2, activation: 'relu', dataFormat }),
      km.layers.maxPooling3d({ poolSize: [1, 2, 1], dataFormat }),
      km.layers.upSampling3d({ size: [1, 2, 1], dataFormat }),
      km.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2, activation: 'tanh', dataFormat }),
      km.layers.cropping3D({ cropping: 1, dataFormat }),
      km.layers.averagePooling3d({ poolSize: 2, dataFormat }),
      km.layers.globalMaxPooling3d({ dataFormat }),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** Transposed 3-D convolutions with outputPadding and dilation, the adjoint geometry run backwards. */
  function conv3dTransposeNet(): km.LayersModel {
    return km.sequential([
      km.layers.conv3d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [4, 5, 6, 2] }),
      km.layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [1, 0, 1], activation: 'tanh' }),
      km.layers.conv3dTranspose({ filters: 2, kernelSize: [1, 2, 2], dilationRate: [1, 2, 1] }),
      km.layers.globalAveragePooling3d(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  const geometry: WindowGeometry = {
    batch: 2, inD: 4, inH: 5, inW: 3, channels: 3, kD: 3, kH: 2, kW: 3, strideD: 1, strideH: 2, strideW: 1,
    dilationD: 2, dilationH: 1, dilationW: 1, padFront: 2, padTop: 0, padLeft: 1, outD: 4, outH: 2, outW: 3,
  };
  const poolGeometry: WindowGeometry = { ...geometry, dilationD: 1, padFront: 1 };
  const inputSize = 2 * 4 * 5 * 3 * 3;
  const rows = 2 * 4 * 2 * 3;
  const colsSize = rows * 18 * 3;
  const x = Float32Array.from({ length: inputSize }, () => Math.round(random.uniform(-4, 4) * 2) / 2);
  const dy = Float32Array.from({ length: rows * 3 }, () => random.uniform(-1, 1));
  const cols = Float32Array.from({ length: colsSize }, () => random.uniform(-1, 1));
  const kernels: [string, KernelRun][] = [
    ['im2col', (b, up) => { const out = b.alloc(colsSize, 'float32'); b.im2col(up(x), out, geometry); return [out, colsSize]; }],
    ['col2im', (b, up) => { const out = b.alloc(inputSize, 'float32'); b.col2im(up(cols), out, geometry); return [out, inputSize]; }],
    ['maxPool', (b, up) => { const out = b.alloc(rows * 3, 'float32'); b.maxPool(up(x), out, poolGeometry); return [out, rows * 3]; }],
    ['maxPoolGrad (ties included)', (b, up) => {
      const [xs, y, out] = [up(x), b.alloc(rows * 3, 'float32'), b.alloc(inputSize, 'float32')];
      b.maxPool(xs, y, poolGeometry);
      b.maxPoolGrad(xs, y, up(dy), out, poolGeometry);
      return [out, inputSize];
    }],
    ['avgPool', (b, up) => { const out = b.alloc(rows * 3, 'float32'); b.avgPool(up(x), out, poolGeometry); return [out, rows * 3]; }],
    ['avgPoolGrad', (b, up) => { const out = b.alloc(inputSize, 'float32'); b.avgPoolGrad(up(dy), out, poolGeometry); return [out, inputSize]; }],
  ];

  for (const name of BACKENDS_HERE.filter((n) => n !== 'wasm')) {
    it.each([['Conv3D and the 3-D poolings', conv3dNet], ['ZeroPadding3D, UpSampling3D, Cropping3D, GlobalMaxPooling3D', volumeShapes], ['Conv3DTranspose (outputPadding, dilation)', conv3dTransposeNet], ['the 3-D layers channels-first', channelsFirstVolumes]] as const)(`${name}: %s follow the wasm trajectory`, async (_label, build) => {
      await expectWasmTrajectory(name, () => ({ model: build(), x: clips, y: labels }), 'sparseCategoricalCrossentropy', 4);
    });
    it.each(kernels)(`${name}: volume kernel %s matches wasm`, async (_label, run) => {
      const reference = await kernelOutput('wasm', run);
      const ours = await kernelOutput(name, run);
      expectClose(ours, reference, 1e-5);
    });
  }
});
