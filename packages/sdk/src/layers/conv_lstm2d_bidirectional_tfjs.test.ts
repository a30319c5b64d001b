import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { movingDotTask } from '../testing/moving_dot.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';
import { expectSameModelFit } from '../testing/tfjs_model_parity.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, frames, size] = [16, 3, 5];
const task = movingDotTask(n, frames, size, 9);
const x = [task.frames, [n, frames, size, size, 1]] as const;
const inputShape = [frames, size, size, 1];

describe('Bidirectional(ConvLSTM2D): parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each([
    { mergeMode: 'concat' as const, returnSequences: true, padding: 'same' as const },
    { mergeMode: 'concat' as const, returnSequences: false, padding: 'valid' as const },
    { mergeMode: 'ave' as const, returnSequences: true, padding: 'valid' as const },
  ])('Bidirectional(ConvLSTM2D(returnSequences $returnSequences, padding $padding), mergeMode $mergeMode) → Flatten → Dense(softmax): same predictions, losses and weights', async ({ mergeMode, returnSequences, padding }) => {
    const conv = { filters: 2, kernelSize: 3, padding, returnSequences };
    await expectSameFit({
      kerasm: () => [km.layers.bidirectional({ layer: km.layers.convLstm2d(conv), mergeMode, inputShape }), km.layers.flatten(), km.layers.dense({ units: 4, activation: 'softmax' })],
      tfjs: () => [tfl.layers.bidirectional({ layer: tfl.layers.convLstm2d(conv) as tfl.RNN, mergeMode, inputShape }), tfl.layers.flatten(), tfl.layers.dense({ units: 4, activation: 'softmax' })],
      loss: 'categoricalCrossentropy', x, y: [task.oneHot, [n, 4]],
    }, { seed: 17, learningRate: 0.2 });
  });

  it("behind Masking (samples padded with whole zero frames): both directions carry their states over the padding, as tfjs", async () => {
    const padded = task.frames.slice();
    // Sample i's last (i mod 3) frames are padding; the backward direction meets them first.
    for (let i = 0; i < n; i++) padded.fill(0, (i * frames + frames - (i % 3)) * size * size, (i + 1) * frames * size * size);
    const conv = { filters: 2, kernelSize: 3, padding: 'same' as const };
    await expectSameFit({
      kerasm: () => [km.layers.masking({ inputShape }), km.layers.bidirectional({ layer: km.layers.convLstm2d(conv) }), km.layers.flatten(), km.layers.dense({ units: 4, activation: 'softmax' })],
      tfjs: () => [tfl.layers.masking({ inputShape }), tfl.layers.bidirectional({ layer: tfl.layers.convLstm2d(conv) as tfl.RNN }), tfl.layers.flatten(), tfl.layers.dense({ units: 4, activation: 'softmax' })],
      loss: 'categoricalCrossentropy', x: [padded, x[1]], y: [task.oneHot, [n, 4]],
    }, { seed: 19, learningRate: 0.2 });
  });

  it('with returnState: [output, forward h, forward c, backward h, backward c], each state an image, the states with losses of their own', async () => {
    km.utils.setRandomSeed(18);
    const input = km.input({ shape: inputShape });
    const [output, ...states] = km.layers.bidirectional({ layer: km.layers.convLstm2d({ filters: 2, kernelSize: 3, returnState: true }), name: 'bi' }).apply(input) as unknown as km.SymbolicTensor[];
    expect([output.shape, ...states.map((s) => s.shape)]).toEqual([[3, 3, 4], [3, 3, 2], [3, 3, 2], [3, 3, 2], [3, 3, 2]]);
    const flat = (t: km.SymbolicTensor, name: string) => km.layers.flatten({ name }).apply(t);
    const ours = km.model({ inputs: input, outputs: [flat(output, 'f0'), flat(states[1], 'f1'), flat(states[2], 'f2')] });
    const tInput = tfl.input({ shape: inputShape });
    const [tOutput, ...tStates] = tfl.layers.bidirectional({ layer: tfl.layers.convLstm2d({ filters: 2, kernelSize: 3, returnState: true }) as tfl.RNN, name: 'bi' }).apply(tInput) as tfl.SymbolicTensor[];
    const tFlat = (t: tfl.SymbolicTensor, name: string) => tfl.layers.flatten({ name }).apply(t) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: tInput, outputs: [tFlat(tOutput, 'f0'), tFlat(tStates[1], 'f1'), tFlat(tStates[2], 'f2')] });
    const target = (width: number) => [Float32Array.from({ length: n * width }, (_, i) => Math.sin(i)), [n, width]] as const;
    await expectSameModelFit({ ours, theirs, x: [x], y: [target(36), target(18), target(18)], losses: ['meanSquaredError', 'meanSquaredError', 'meanAbsoluteError'] }, { learningRate: 0.3, batchSize: 8 });
  });
});
