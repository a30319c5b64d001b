import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, maxAbsDiff } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';
import { expectSameModelFit } from '../testing/tfjs_model_parity.js';
import { expectSameTrainingSteps } from '../testing/tfjs_step_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

// 8 videos of 3 frames [channels, rows, cols] = [2, 5, 4]: rows and cols differ, so a swapped axis shows.
const [n, frames, channels, rows, cols] = [8, 3, 2, 5, 4];
const random = new Random(61);
const uniform = (length: number) => Float32Array.from({ length }, () => random.uniform(-1, 1));
const inputShape = [frames, channels, rows, cols];
const x = [uniform(n * frames * channels * rows * cols), [n, ...inputShape]] as const;
const oneHot = Float32Array.from({ length: n * 4 }, (_, i) => (i % 4 === Math.floor(i / 4) % 3 ? 1 : 0));
const first = { dataFormat: 'channelsFirst' as const };

describe("ConvLSTM2D with dataFormat 'channelsFirst': parity with tfjs-layers 4.22 (cpu backend)", () => {
  it.each([
    {
      name: "last state [filters, rows, cols], padding 'same' → Flatten → Dense(softmax)",
      kerasm: () => [km.layers.convLstm2d({ ...first, filters: 3, kernelSize: 3, padding: 'same', inputShape }), km.layers.flatten(), km.layers.dense({ units: 4, activation: 'softmax' })],
      tfjs: () => [tfl.layers.convLstm2d({ ...first, filters: 3, kernelSize: 3, padding: 'same', inputShape }), tfl.layers.flatten(), tfl.layers.dense({ units: 4, activation: 'softmax' })],
      loss: 'categoricalCrossentropy', y: [oneHot, [n, 4]] as const,
    },
    {
      name: "returnSequences, goBackwards, 2×3 kernel, strides 2, sigmoid gates → ConvLSTM2D('valid') → Flatten → Dense",
      kerasm: () => [
        km.layers.convLstm2d({ ...first, filters: 2, kernelSize: [2, 3], strides: 2, padding: 'same', returnSequences: true, goBackwards: true, recurrentActivation: 'sigmoid', inputShape }),
        km.layers.convLstm2d({ ...first, filters: 2, kernelSize: 2 }), km.layers.flatten(), km.layers.dense({ units: 1 }),
      ],
      tfjs: () => [
        tfl.layers.convLstm2d({ ...first, filters: 2, kernelSize: [2, 3], strides: 2, padding: 'same', returnSequences: true, goBackwards: true, recurrentActivation: 'sigmoid', inputShape }),
        tfl.layers.convLstm2d({ ...first, filters: 2, kernelSize: 2 }), tfl.layers.flatten(), tfl.layers.dense({ units: 1 }),
      ],
      loss: 'meanSquaredError', y: [uniform(n), [n, 1]] as const,
    },
  ])('$name: same predictions, and the same losses and weights over SGD with momentum', async (c) => {
    await expectSameFit({ ...c, x }, { seed: 31, learningRate: 0.2, momentum: 0.9 });
  });

  it('returnSequences → Flatten → Dense(softmax): the same losses and weights over 4 Adam steps', async () => {
    km.utils.setRandomSeed(32);
    const conv = { ...first, filters: 2, kernelSize: 3, padding: 'same' as const, returnSequences: true, inputShape };
    const ours = km.sequential([km.layers.convLstm2d(conv), km.layers.flatten(), km.layers.dense({ units: 4, activation: 'softmax' })]);
    const theirs = tfl.sequential({ layers: [tfl.layers.convLstm2d(conv), tfl.layers.flatten(), tfl.layers.dense({ units: 4, activation: 'softmax' })] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    ours.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-10 }), loss: 'categoricalCrossentropy' });
    theirs.compile({ optimizer: tf.train.adam(0.02, 0.9, 0.999, 1e-10), loss: 'categoricalCrossentropy' });
    // Adam moves a weight by about the learning rate whatever its gradient's size, so float32 noise in a
    // near-zero gradient shows in the weights: 1e-3 is 5 % of one step, far below a wrong gradient's error.
    await expectSameTrainingSteps(ours, theirs, [km.tensor(x[0], [...x[1]]), km.tensor(oneHot, [n, 4])], [tf.tensor(x[0], [...x[1]]), tf.tensor(oneHot, [n, 4])], 4, { minMove: 1e-2, weightTolerance: 1e-3 });
  });

  it('returnState: the output and both states [filters, rows, cols], each with a loss of its own (the gradients come back through every output)', async () => {
    km.utils.setRandomSeed(33);
    const conv = { ...first, filters: 2, kernelSize: 3, returnState: true, returnSequences: true, name: 'clstm' };
    const flat = (t: km.SymbolicTensor, name: string) => km.layers.flatten({ name }).apply(t);
    const input = km.input({ shape: inputShape });
    const [output, h, c] = km.layers.convLstm2d(conv).apply(input) as unknown as km.SymbolicTensor[];
    expect([output.shape, h.shape, c.shape]).toEqual([[frames, 2, 3, 2], [2, 3, 2], [2, 3, 2]]);
    const ours = km.model({ inputs: input, outputs: [flat(output, 'f0'), flat(h, 'f1'), flat(c, 'f2')] });
    const tFlat = (t: tfl.SymbolicTensor, name: string) => tfl.layers.flatten({ name }).apply(t) as tfl.SymbolicTensor;
    const tInput = tfl.input({ shape: inputShape });
    const [tOutput, tH, tC] = tfl.layers.convLstm2d(conv).apply(tInput) as tfl.SymbolicTensor[];
    const theirs = tfl.model({ inputs: tInput, outputs: [tFlat(tOutput, 'f0'), tFlat(tH, 'f1'), tFlat(tC, 'f2')] });
    const target = (width: number) => [Float32Array.from({ length: n * width }, (_, i) => Math.sin(i)), [n, width]] as const;
    await expectSameModelFit({ ours, theirs, x: [x], y: [target(36), target(12), target(12)], losses: ['meanSquaredError', 'meanSquaredError', 'meanAbsoluteError'] }, { learningRate: 0.3, batchSize: 4 });
  });

  it('behind Masking (samples padded with whole zero frames): the states carry over the padding, as tfjs', async () => {
    const padded = x[0].slice();
    const frame = channels * rows * cols;
    for (let i = 0; i < n; i++) padded.fill(0, (i * frames + frames - (i % 3)) * frame, (i + 1) * frames * frame);
    const conv = { ...first, filters: 2, kernelSize: 3, padding: 'same' as const, goBackwards: true };
    await expectSameFit({
      kerasm: () => [km.layers.masking({ inputShape }), km.layers.convLstm2d(conv), km.layers.flatten(), km.layers.dense({ units: 1 })],
      tfjs: () => [tfl.layers.masking({ inputShape }), tfl.layers.convLstm2d(conv), tfl.layers.flatten(), tfl.layers.dense({ units: 1 })],
      loss: 'meanSquaredError', x: [padded, x[1]], y: [uniform(n), [n, 1]],
    }, { seed: 34, learningRate: 0.2 });
  });

  it("Bidirectional(ConvLSTM2D(returnSequences)), mergeMode 'concat' (on the last axis, cols, as in Keras) → Flatten → Dense", async () => {
    const conv = { ...first, filters: 2, kernelSize: 3, padding: 'same' as const, returnSequences: true };
    await expectSameFit({
      kerasm: () => [km.layers.bidirectional({ layer: km.layers.convLstm2d(conv), inputShape }), km.layers.flatten(), km.layers.dense({ units: 1 })],
      tfjs: () => [tfl.layers.bidirectional({ layer: tfl.layers.convLstm2d(conv) as tfl.RNN, inputShape }), tfl.layers.flatten(), tfl.layers.dense({ units: 1 })],
      loss: 'meanSquaredError', x, y: [uniform(n), [n, 1]],
    }, { seed: 35, learningRate: 0.2 });
  });

  it('stateful, fed in chunks of frames: the same predictions and kept states (layer.states) as tfjs', () => {
    km.utils.setRandomSeed(36);
    const [batch, chunk] = [2, 2];
    const chunkShape = [batch, chunk, channels, rows, cols];
    const conv = { ...first, filters: 2, kernelSize: 3, padding: 'same' as const, returnSequences: true, stateful: true, batchInputShape: chunkShape };
    const layer = km.layers.convLstm2d(conv);
    const ours = km.sequential([layer]);
    const theirs = tfl.sequential({ layers: [tfl.layers.convLstm2d(conv)] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    for (let c = 0; c < 3; c++) {
      const values = uniform(batch * chunk * channels * rows * cols);
      const expected = (theirs.predict(tf.tensor(values, chunkShape), { batchSize: batch }) as tf.Tensor).dataSync();
      expect(maxAbsDiff(ours.predict(km.tensor(values, chunkShape), { batchSize: batch }).dataSync(), expected)).toBeLessThan(1e-5);
    }
    const theirStates = (theirs.layers[0] as tfl.RNN).states;
    layer.states!.forEach((state, k) => {
      expect(state.shape).toEqual([batch, 2, rows, cols]);
      expect(maxAbsDiff(state.dataSync(), theirStates[k].dataSync())).toBeLessThan(1e-5);
    });
  });
});

describe("ConvLSTM2D with dataFormat 'channelsFirst': LayersModel round trip with tfjs 4.22, both directions", () => {
  it("ConvLSTM2D(channelsFirst, returnSequences, 'same') → ConvLSTM2D(channelsFirst, strides 2) → Flatten → Dense", async () => {
    await checkLayersModelRoundTrip({
      inputShape: [frames, channels, 6, 5],
      kerasm: () => [
        km.layers.convLstm2d({ ...first, filters: 3, kernelSize: [3, 2], padding: 'same', returnSequences: true, inputShape: [frames, channels, 6, 5] }),
        km.layers.convLstm2d({ ...first, filters: 2, kernelSize: 2, strides: 2, goBackwards: true }),
        km.layers.flatten(), km.layers.dense({ units: 2 }),
      ],
      tfjs: () => [
        tfl.layers.convLstm2d({ ...first, filters: 3, kernelSize: [3, 2], padding: 'same', returnSequences: true, unitForgetBias: true, inputShape: [frames, channels, 6, 5] }),
        tfl.layers.convLstm2d({ ...first, filters: 2, kernelSize: 2, strides: 2, goBackwards: true, unitForgetBias: true }),
        tfl.layers.flatten(), tfl.layers.dense({ units: 2 }),
      ],
    });
  });
});
