import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { expectSameTrainingSteps } from '../testing/tfjs_step_parity.js';
import { Random } from '../utils/random.js';

// tfjs-layers 4.22 has no ConvLSTM1D, but the same recurrence is its ConvLSTM2D over the rows reshaped
// to frames of height 1 with a [1, k] window: Keras' [k, channels, 4·filters] kernels are tfjs'
// [1, k, channels, 4·filters]. With the same weights the models must give the same predictions, then
// the same losses and weights over SGD steps on the same batch (tfjs' cpu backend).
beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [BATCH, STEPS, WIDTH, CHANNELS, CLASSES] = [8, 4, 7, 2, 3];
const random = new Random(53);
const rows = Float32Array.from({ length: BATCH * STEPS * WIDTH * CHANNELS }, () => random.uniform(-1, 1));
const labels = Float32Array.from({ length: BATCH * CLASSES }, (_, i) => (i % CLASSES === Math.floor(i / CLASSES) % CLASSES ? 1 : 0));
const inputShape = [STEPS, WIDTH, CHANNELS];
/** tfjs' frames of height 1: [steps, 1, width, channels], or [steps, channels, 1, width] channels-first. */
const asFrames = (dataFormat?: 'channelsFirst') => tfl.layers.reshape({ targetShape: dataFormat ? [STEPS, CHANNELS, 1, WIDTH] : [STEPS, 1, WIDTH, CHANNELS], inputShape: dataFormat ? [STEPS, CHANNELS, WIDTH] : inputShape });
/** The 1-D window as tfjs' 2-D one. */
const window2d = (kernelSize: number, strides = 1, dilationRate = 1) => ({ kernelSize: [1, kernelSize] as [number, number], strides: [1, strides] as [number, number], dilationRate: [1, dilationRate] as [number, number] });

interface ParityCase {
  name: string;
  kerasm: () => km.layers.Layer[];
  tfjs: () => tfl.layers.Layer[];
  x?: Float32Array;
}

/** kerasm's weights into the tfjs model, each in tfjs' shape (the kernels gain their height axis). */
function twins(c: ParityCase, seed: number): [km.LayersModel, tfl.LayersModel] {
  km.utils.setRandomSeed(seed);
  const ours = km.sequential(c.kerasm());
  const theirs = tfl.sequential({ layers: c.tfjs() });
  const shapes = theirs.getWeights().map((w) => w.shape);
  const weights = ours.getWeights();
  expect(weights.map((w) => w.size)).toEqual(shapes.map((s) => s.reduce((a, b) => a * b, 1)));
  theirs.setWeights(weights.map((w, i) => tf.tensor(w.dataSync(), shapes[i])));
  return [ours, theirs];
}

function expectSamePredictions(ours: km.LayersModel, theirs: tfl.LayersModel, x: Float32Array, shape: number[]): void {
  const expected = (theirs.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync();
  const predicted = ours.predict(km.tensor(x, shape)).dataSync();
  expect(predicted).toHaveLength(expected.length);
  predicted.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
}

const head = () => [km.layers.flatten(), km.layers.dense({ units: CLASSES, activation: 'softmax' })];
const tfHead = () => [tfl.layers.flatten(), tfl.layers.dense({ units: CLASSES, activation: 'softmax' })];

const maskedRows = rows.slice();
// Sample i's last (i mod 3) steps are padding, whole zero rows, which Masking marks.
for (let i = 0; i < BATCH; i++) maskedRows.fill(0, (i * STEPS + STEPS - (i % 3)) * WIDTH * CHANNELS, (i + 1) * STEPS * WIDTH * CHANNELS);

const cases: ParityCase[] = [
  {
    name: "'same', last state, Keras 3's default sigmoid gates and glorotUniform kernel",
    kerasm: () => [km.layers.convLstm1d({ filters: 3, kernelSize: 3, padding: 'same', inputShape }), ...head()],
    tfjs: () => [asFrames(), tfl.layers.convLstm2d({ filters: 3, ...window2d(3), padding: 'same', recurrentActivation: 'sigmoid' }), ...tfHead()],
  },
  {
    name: "'valid', strides 2, returnSequences, goBackwards, no bias, hardSigmoid gates",
    kerasm: () => [km.layers.convLstm1d({ filters: 2, kernelSize: 2, strides: 2, returnSequences: true, goBackwards: true, useBias: false, recurrentActivation: 'hardSigmoid', inputShape }), ...head()],
    tfjs: () => [asFrames(), tfl.layers.convLstm2d({ filters: 2, ...window2d(2, 2), returnSequences: true, goBackwards: true, useBias: false, recurrentActivation: 'hardSigmoid' }), ...tfHead()],
  },
  {
    name: "channelsFirst [time, channels, width], returnSequences, then a stacked channelsFirst ConvLSTM1D",
    kerasm: () => [
      km.layers.convLstm1d({ filters: 3, kernelSize: 3, padding: 'same', returnSequences: true, dataFormat: 'channelsFirst', inputShape: [STEPS, CHANNELS, WIDTH] }),
      km.layers.convLstm1d({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', recurrentActivation: 'hardSigmoid' }), ...head(),
    ],
    tfjs: () => [
      asFrames('channelsFirst'),
      tfl.layers.convLstm2d({ filters: 3, ...window2d(3), padding: 'same', returnSequences: true, dataFormat: 'channelsFirst', recurrentActivation: 'sigmoid' }),
      tfl.layers.convLstm2d({ filters: 2, ...window2d(2), dataFormat: 'channelsFirst', recurrentActivation: 'hardSigmoid' }), ...tfHead(),
    ],
  },
  {
    name: 'behind Masking (samples padded with whole zero rows): the states carry over the padding',
    kerasm: () => [km.layers.masking({ inputShape }), km.layers.convLstm1d({ filters: 3, kernelSize: 3, padding: 'same' }), ...head()],
    // tfjs' Reshape passes no mask on, so its Masking comes after it, over the same values.
    tfjs: () => [asFrames(), tfl.layers.masking(), tfl.layers.convLstm2d({ filters: 3, ...window2d(3), padding: 'same', recurrentActivation: 'sigmoid' }), ...tfHead()],
    x: maskedRows,
  },
  {
    name: "Bidirectional(ConvLSTM1D(returnSequences, 'valid')), concat",
    kerasm: () => [km.layers.bidirectional({ layer: km.layers.convLstm1d({ filters: 2, kernelSize: 3, returnSequences: true }), inputShape }), ...head()],
    tfjs: () => [asFrames(), tfl.layers.bidirectional({ layer: tfl.layers.convLstm2d({ filters: 2, ...window2d(3), returnSequences: true, recurrentActivation: 'sigmoid' }) as tfl.RNN }), ...tfHead()],
  },
  {
    name: "Bidirectional(ConvLSTM1D('same')) behind Masking, mergeMode 'ave'",
    kerasm: () => [km.layers.masking({ inputShape }), km.layers.bidirectional({ layer: km.layers.convLstm1d({ filters: 2, kernelSize: 3, padding: 'same' }), mergeMode: 'ave' }), ...head()],
    tfjs: () => [asFrames(), tfl.layers.masking(), tfl.layers.bidirectional({ layer: tfl.layers.convLstm2d({ filters: 2, ...window2d(3), padding: 'same', recurrentActivation: 'sigmoid' }) as tfl.RNN, mergeMode: 'ave' }), ...tfHead()],
    x: maskedRows,
  },
];

describe('ConvLSTM1D against tfjs-layers 4.22 ConvLSTM2D over [n, time, 1, width, channels]', () => {
  it.each(cases)('$name: same predictions, then the same losses and weights over 3 SGD steps', async (c) => {
    const [ours, theirs] = twins(c, 23);
    const x = c.x ?? rows;
    const shape = [BATCH, ...(c.name.startsWith('channelsFirst') ? [STEPS, CHANNELS, WIDTH] : inputShape)];
    expectSamePredictions(ours, theirs, x, shape);
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
    theirs.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    await expectSameTrainingSteps(ours, theirs, [km.tensor(x, shape), km.tensor(labels, [BATCH, CLASSES])], [tf.tensor(x, shape), tf.tensor(labels, [BATCH, CLASSES])], 3, { minMove: 1e-3, weightTolerance: 1e-5 });
  });

  it('dilationRate 2 gives the same predictions (tfjs has no gradient for dilated convolutions, so no training)', () => {
    const [ours, theirs] = twins({
      name: 'dilated',
      kerasm: () => [km.layers.convLstm1d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', returnSequences: true, inputShape })],
      tfjs: () => [asFrames(), tfl.layers.convLstm2d({ filters: 2, ...window2d(2, 1, 2), padding: 'same', returnSequences: true, recurrentActivation: 'sigmoid' })],
    }, 24);
    expectSamePredictions(ours, theirs, rows, [BATCH, ...inputShape]);
  });
});
