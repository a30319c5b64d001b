import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { convLstm3dReference } from '../testing/conv_lstm3d_reference.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});
afterAll(() => km.setBackend('wasm'));

const random = new Random(37);
const uniform = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
type Triple = [number, number, number];

describe('ConvLSTM3D shapes, weights and defaults', () => {
  it("outputs the last state [outD, outH, outW, filters], or every step's with returnSequences, and builds Keras' [kD, kH, kW, channels, 4·filters] kernels", () => {
    const input = km.input({ shape: [3, 4, 5, 6, 2] });
    expect(km.layers.convLstm3d({ filters: 3, kernelSize: 3 }).apply(input).shape).toEqual([2, 3, 4, 3]);
    expect(km.layers.convLstm3d({ filters: 3, kernelSize: [1, 2, 3], strides: [1, 2, 2], padding: 'same', returnSequences: true }).apply(input).shape).toEqual([3, 4, 3, 3, 3]);
    expect(km.layers.convLstm3d({ filters: 2, kernelSize: 2, dilationRate: [1, 2, 2], returnSequences: true }).apply(input).shape).toEqual([3, 3, 3, 4, 2]);
    // channelsFirst: [time, channels, depth, rows, cols] in, [filters, outD, outH, outW] out.
    expect(km.layers.convLstm3d({ filters: 2, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst' }).apply(km.input({ shape: [3, 2, 4, 5, 6] })).shape).toEqual([2, 4, 5, 6]);
    const model = km.sequential([km.layers.convLstm3d({ filters: 3, kernelSize: [1, 2, 3], inputShape: [3, 4, 5, 6, 2] })]);
    expect(model.getWeights().map((w) => w.shape)).toEqual([[1, 2, 3, 2, 12], [1, 2, 3, 3, 12], [12]]);
    // unit_forget_bias: ones for the forget gate's block, zeros elsewhere.
    expect(Array.from(model.getWeights()[2].dataSync())).toEqual([...Array(3).fill(0), ...Array(3).fill(1), ...Array(6).fill(0)]);
  });

  it("takes Keras 3's defaults: tanh, sigmoid gates, glorotUniform kernel, orthogonal recurrent kernel, unit forget bias, 'valid', strides 1", () => {
    const config = km.layers.convLstm3d({ filters: 2, kernelSize: 3 }).getConfig();
    expect(config).toMatchObject({
      activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, unitForgetBias: true, padding: 'valid', dataFormat: 'channelsLast',
      kernelSize: [3, 3, 3], strides: [1, 1, 1], dilationRate: [1, 1, 1], returnSequences: false, returnState: false, goBackwards: false, stateful: false,
      kernelInitializer: { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } }, recurrentInitializer: { className: 'Orthogonal', config: { gain: 1 } }, biasInitializer: { className: 'Zeros' },
    });
  });

  it('returnState gives [output, h, c], each a volume [outD, outH, outW, filters]; h is the last output and the last step of returnSequences', () => {
    km.utils.setRandomSeed(4);
    const input = km.input({ shape: [3, 2, 3, 4, 2] });
    const [sequence, h, c] = km.layers.convLstm3d({ filters: 2, kernelSize: 2, padding: 'same', returnSequences: true, returnState: true }).apply(input);
    expect([sequence.shape, h.shape, c.shape]).toEqual([[3, 2, 3, 4, 2], [2, 3, 4, 2], [2, 3, 4, 2]]);
    const model = km.model({ inputs: input, outputs: [sequence, h, c] });
    const [ys, hs, cs] = (model.predict(km.tensor(uniform(2 * 3 * 2 * 3 * 4 * 2), [2, 3, 2, 3, 4, 2])) as km.Tensor[]).map((t) => t.arraySync() as number[][][][][]);
    for (let b = 0; b < 2; b++) expect(hs[b]).toEqual(ys[b][2]);
    expect(cs).not.toEqual(hs);
  });
});

describe('ConvLSTM3D against a float64 loop of Keras equations', () => {
  const cases = [
    { padding: 'same' as const, strides: [1, 1, 1] as Triple, dilationRate: [1, 1, 1] as Triple, kernelSize: [3, 3, 3] as Triple, goBackwards: false, returnSequences: true },
    { padding: 'valid' as const, strides: [1, 2, 2] as Triple, dilationRate: [1, 1, 1] as Triple, kernelSize: [2, 3, 2] as Triple, goBackwards: true, returnSequences: false },
    { padding: 'same' as const, strides: [2, 1, 2] as Triple, dilationRate: [1, 1, 1] as Triple, kernelSize: [2, 2, 3] as Triple, goBackwards: false, returnSequences: false },
    { padding: 'valid' as const, strides: [1, 1, 1] as Triple, dilationRate: [1, 2, 1] as Triple, kernelSize: [2, 2, 2] as Triple, goBackwards: false, returnSequences: true },
  ];
  const backends = ['wasm', 'tfjs-cpu'] as const;
  it.each(backends.flatMap((backend) => cases.map((c) => ({ backend, ...c }))))(
    '$backend: padding $padding, kernel $kernelSize, strides $strides, dilation $dilationRate, goBackwards $goBackwards, returnSequences $returnSequences',
    async (o) => {
      await km.setBackend(o.backend);
      const [batch, steps, depth, height, width, channels, filters] = [2, 3, 3, 5, 4, 2, 3];
      km.utils.setRandomSeed(8);
      const layer = km.layers.convLstm3d({ filters, kernelSize: o.kernelSize, strides: o.strides, padding: o.padding, dilationRate: o.dilationRate, goBackwards: o.goBackwards, returnSequences: o.returnSequences, biasInitializer: 'glorotUniform' });
      const model = km.sequential([km.layers.inputLayer({ inputShape: [steps, depth, height, width, channels] }), layer]);
      const x = uniform(batch * steps * depth * height * width * channels);
      const got = model.predict(km.tensor(x, [batch, steps, depth, height, width, channels])).dataSync();
      const [kernel, recurrent, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
      const perSample = got.length / batch;
      const rowsPerSample = steps * depth * height * width;
      for (let b = 0; b < batch; b++) {
        const rows = Array.from({ length: rowsPerSample }, (_, p) => Array.from(x.subarray((b * rowsPerSample + p) * channels, (b * rowsPerSample + p + 1) * channels)));
        const expected = convLstm3dReference(rows, kernel, recurrent, bias, {
          frame: [depth, height, width, channels], filters, kernelSize: o.kernelSize, strides: o.strides, dilationRate: o.dilationRate, padding: o.padding,
          activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: o.returnSequences, goBackwards: o.goBackwards,
        }).flat();
        expect(expected).toHaveLength(perSample);
        expected.forEach((v, i) => expect(Math.abs(got[b * perSample + i] - v)).toBeLessThan(1e-5));
      }
      await km.setBackend('wasm');
    },
  );

  it('depth 1 with a [1, kH, kW] window is ConvLSTM2D (itself checked against tfjs-layers) on the same weights', () => {
    km.utils.setRandomSeed(5);
    const [batch, steps, height, width, channels] = [2, 4, 5, 4, 2];
    const args = { filters: 3, padding: 'same' as const, recurrentActivation: 'sigmoid' as const, returnSequences: true, biasInitializer: 'glorotUniform' as const };
    const volumes = km.sequential([km.layers.convLstm3d({ ...args, kernelSize: [1, 3, 2], inputShape: [steps, 1, height, width, channels] })]);
    const images = km.sequential([km.layers.convLstm2d({ ...args, kernelSize: [3, 2], inputShape: [steps, height, width, channels] })]);
    // The same memory layout: Keras' [1, kH, kW, in, out] is [kH, kW, in, out] with a leading 1.
    images.setWeights(volumes.getWeights().map((w, i) => km.tensor(w.dataSync(), images.getWeights()[i].shape)));
    const x = uniform(batch * steps * height * width * channels);
    const fromVolumes = volumes.predict(km.tensor(x, [batch, steps, 1, height, width, channels]));
    expect(fromVolumes.shape).toEqual([batch, steps, 1, height, width, 3]);
    const fromImages = images.predict(km.tensor(x, [batch, steps, height, width, channels])).dataSync();
    fromVolumes.dataSync().forEach((v, i) => expect(v).toBeCloseTo(fromImages[i], 6));
  });

  it('channelsFirst [time, channels, depth, rows, cols] gives the channels-last output transposed, on the same weights', () => {
    km.utils.setRandomSeed(6);
    const [batch, steps, depth, height, width, channels, filters] = [2, 2, 2, 3, 3, 2, 2];
    const args = { filters, kernelSize: 2, padding: 'same' as const, returnSequences: true };
    const last = km.sequential([km.layers.convLstm3d({ ...args, inputShape: [steps, depth, height, width, channels] })]);
    const first = km.sequential([km.layers.convLstm3d({ ...args, dataFormat: 'channelsFirst', inputShape: [steps, channels, depth, height, width] })]);
    first.setWeights(last.getWeights());
    const x = uniform(batch * steps * depth * height * width * channels);
    const xLast = tf.tensor(x, [batch, steps, depth, height, width, channels]);
    const expected = tf.transpose(tf.tensor(last.predict(km.tensor(x, xLast.shape)).dataSync(), [batch, steps, depth, height, width, filters]), [0, 1, 5, 2, 3, 4]).dataSync();
    const got = first.predict(km.tensor(tf.transpose(xLast, [0, 1, 5, 2, 3, 4]).dataSync(), [batch, steps, channels, depth, height, width])).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('behind Masking, a step whose whole volume is masked keeps the states: the output is that of the sequence without it', () => {
    km.utils.setRandomSeed(7);
    const frame = [2, 3, 3, 1];
    const voxels = frame.reduce((a, b) => a * b, 1);
    const layer = () => km.layers.convLstm3d({ filters: 2, kernelSize: 2, padding: 'same' });
    const masked = km.sequential([km.layers.masking({ inputShape: [3, ...frame] }), layer()]);
    const plain = km.sequential([km.layers.inputLayer({ inputShape: [2, ...frame] }), layer()]);
    plain.setWeights(masked.getWeights());
    const x = uniform(2 * voxels);
    const padded = new Float32Array(3 * voxels);
    padded.set(x);
    const got = masked.predict(km.tensor(padded, [1, 3, ...frame])).dataSync();
    const expected = plain.predict(km.tensor(x, [1, 2, ...frame])).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });
});

describe('ConvLSTM3D refuses bad input, naming the problem and the fix', () => {
  it('an input that is not [time, depth, rows, cols, channels]', () => {
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: 3 }).apply(km.input({ shape: [4, 8, 8, 8] })))
      .toThrow(/expects sequences of volumes of shape \(None, time, depth, rows, cols, channels\).*\(None, 4, 8, 8, 8\).*reshape\(\{ targetShape: \[4, 8, 8, 8, 1\] \}\).*km\.layers\.convLstm2d/);
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: 3 }).apply(km.input({ shape: [4, 8, 8, 8, 1, 1] }))).toThrow(/Reshape each sample to \[time, depth, rows, cols, channels\]/);
    // ConvLSTM2D given volumes points here.
    expect(() => km.layers.convLstm2d({ filters: 2, kernelSize: 3 }).apply(km.input({ shape: [4, 8, 8, 8, 1] }))).toThrow(/For sequences of volumes use km\.layers\.convLstm3d/);
  });

  it("a 'valid' window larger than the volume", () => {
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: 3 }).apply(km.input({ shape: [4, 2, 8, 8, 1] }))).toThrow(/smaller than its 3x3x3 window with 'valid' padding.*Use padding: 'same'/);
  });

  it('bad options', () => {
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: [3, 3] as unknown as number })).toThrow(/kernelSize must be a positive integer or a list of three \(depth, height, width\)\. Received: kernelSize=\[3,3\]/);
    expect(() => km.layers.convLstm3d({ filters: 0, kernelSize: 3 })).toThrow(/filters must be a positive integer/);
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides above 1 cannot be combined with dilationRate above 1/);
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: 3, padding: 'causal' as 'same' })).toThrow(/padding must be 'valid' or 'same'/);
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: 3, dataFormat: 'NDHWC' as 'channelsLast' })).toThrow(/dataFormat must be 'channelsLast'.*or 'channelsFirst'/);
    expect(() => km.layers.convLstm3d({ filters: 2, kernelSize: 3, kernalSize: 3 } as unknown as km.layers.ConvLSTM3DArgs)).toThrow(/kernalSize.*kernelSize/);
    expect(() => km.layers.convLstm3d({ filters: 2 } as km.layers.ConvLSTM3DArgs)).toThrow(/kernelSize/);
  });
});
