import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { backend } from '../backend/registry.js';
import * as km from '../index.js';

// A frozen DepthwiseConv2D, DepthwiseConv1D, SeparableConv2D, SeparableConv1D or PReLU between
// trainable layers skips its weight gradients (the fused depthwise and PReLU backward kernels are
// given 0 for them) and its bias gradient, as a frozen Dense, Conv2D or TimeDistributed layer does, and
// each passes on exactly the input gradient it passes when it trains. Two
// references: a trainable twin (after one SGD step the other layers' weights must match bit for bit,
// since their gradients come from the same forward pass before any update), and, over several
// steps, a tfjs-layers 4.22 twin with the same layer frozen (the 1-D layers have none in tfjs).
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

function data(shape: number[], phase: number): km.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return km.tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase)), shape);
}

const values = (layer: { getWeights(): km.Tensor[] }): number[][] => layer.getWeights().map((w) => Array.from(w.dataSync()));

type KernelMethod = 'depthwiseBackward' | 'preluGrad';

interface Case {
  readonly name: string;
  readonly input: number[];
  readonly below: () => km.layers.Layer;
  readonly layer: () => km.layers.Layer;
  /** The fused backward kernel whose weight-gradient argument (index 4 in both) is 0 when frozen. */
  readonly method?: KernelMethod;
  /** The bias gradients (fused with the activation's) a frozen layer skips in one step: one per bias it has. */
  readonly skipsBiasGrads?: number;
}

const image = [5, 5, 2];
const sequence = [7, 2];
const imageBelow = () => km.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh', name: 'below' });
const sequenceBelow = () => km.layers.conv1d({ filters: 3, kernelSize: 2, activation: 'tanh', name: 'below' });

const cases: Case[] = [
  {
    name: 'DepthwiseConv2D (multiplier 2, bias, relu)', input: image, below: imageBelow, method: 'depthwiseBackward', skipsBiasGrads: 1,
    layer: () => km.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, padding: 'same', activation: 'relu', biasInitializer: 'glorotUniform', name: 'frozen' }),
  },
  {
    // Five channels, one filter each: the frozen kernel's four-channel (SIMD) loop and its tail.
    name: 'DepthwiseConv2D (swish keeps its input)', input: image, method: 'depthwiseBackward', skipsBiasGrads: 1,
    below: () => km.layers.conv2d({ filters: 5, kernelSize: 2, activation: 'tanh', name: 'below' }),
    layer: () => km.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', activation: 'swish', biasInitializer: 'glorotUniform', name: 'frozen' }),
  },
  {
    name: 'DepthwiseConv1D', input: sequence, below: sequenceBelow, method: 'depthwiseBackward', skipsBiasGrads: 1,
    layer: () => km.layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, activation: 'tanh', biasInitializer: 'glorotUniform', name: 'frozen' }),
  },
  {
    name: 'SeparableConv2D', input: image, below: imageBelow, method: 'depthwiseBackward', skipsBiasGrads: 1,
    layer: () => km.layers.separableConv2d({ filters: 4, kernelSize: 2, depthMultiplier: 2, activation: 'relu', biasInitializer: 'glorotUniform', name: 'frozen' }),
  },
  {
    name: 'SeparableConv1D', input: sequence, below: sequenceBelow, method: 'depthwiseBackward', skipsBiasGrads: 1,
    layer: () => km.layers.separableConv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'frozen' }),
  },
  {
    name: 'PReLU (one alpha per channel)', input: image, below: imageBelow, method: 'preluGrad',
    layer: () => km.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: km.initializers.constant({ value: 0.3 }), name: 'frozen' }),
  },
  {
    name: 'PReLU (an alpha per value)', input: sequence, below: sequenceBelow, method: 'preluGrad',
    layer: () => km.layers.prelu({ alphaInitializer: km.initializers.randomUniform({ minval: 0.1, maxval: 0.5 }), name: 'frozen' }),
  },
  // The GEMM layers skipped their weight gradients before; a frozen one now skips its bias's too.
  {
    name: 'Dense (bias, tanh)', input: [6], skipsBiasGrads: 1,
    below: () => km.layers.dense({ units: 5, activation: 'tanh', name: 'below' }),
    layer: () => km.layers.dense({ units: 4, activation: 'tanh', biasInitializer: 'glorotUniform', name: 'frozen' }),
  },
  {
    name: 'Conv2D (bias, gelu keeps its input)', input: image, below: imageBelow, skipsBiasGrads: 1,
    layer: () => km.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'gelu', biasInitializer: 'glorotUniform', name: 'frozen' }),
  },
  {
    name: 'TimeDistributed(Conv1D)', input: [3, 6, 2], skipsBiasGrads: 1,
    below: () => km.layers.timeDistributed({ layer: km.layers.conv1d({ filters: 2, kernelSize: 2, activation: 'tanh' }), name: 'below' }),
    layer: () => km.layers.timeDistributed({ layer: km.layers.conv1d({ filters: 3, kernelSize: 2, activation: 'tanh', biasInitializer: 'glorotUniform' }), name: 'frozen' }),
  },
];

const targets = data([4, 3], 0.5);

/** The case's model with the layer under test frozen or trainable, its weights drawn from the same seed either way. */
function make(c: Case, frozen: boolean): km.LayersModel {
  km.utils.setRandomSeed(41);
  const model = km.sequential([
    km.layers.inputLayer({ inputShape: c.input }), c.below(), c.layer(), km.layers.flatten({ name: 'flatten' }),
    km.layers.dense({ units: 3, activation: 'tanh', name: 'above' }),
  ]);
  model.getWeights(); // draws the weights now, from this seed
  model.getLayer('frozen').trainable = !frozen;
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  return model;
}

/**
 * In one training step: the weight-gradient argument of each call of the case's backward kernel, and
 * the bias gradients written (activationGradBias calls, and inputActivationGrad calls given a dBias).
 */
async function kernelCalls(c: Case, model: km.LayersModel, x: km.Tensor): Promise<{ weightGradArgs: unknown[]; biasGrads: number }> {
  const spies = [vi.spyOn(backend(), c.method ?? 'depthwiseBackward'), vi.spyOn(backend(), 'activationGradBias'), vi.spyOn(backend(), 'inputActivationGrad')] as const;
  try {
    await model.trainOnBatch(x, targets);
    const [kernel, outputDerived, inputDerived] = spies.map((spy) => spy.mock.calls as unknown[][]);
    return { weightGradArgs: kernel.map((args) => args[4]), biasGrads: outputDerived.length + inputDerived.filter((args) => args[4] !== 0).length };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** One step matches the trainable twin's for the other layers, the frozen weights stay put, and the kernel gets 0 for the weight gradient. */
async function expectSkippedWeightGradients(c: Case): Promise<void> {
  const x = data([4, ...c.input], 0.2);
  const [frozen, open] = [make(c, true), make(c, false)];
  const start = values(frozen.getLayer('frozen'));
  expect(await frozen.trainOnBatch(x, targets)).toBe(await open.trainOnBatch(x, targets));
  for (const name of ['below', 'above']) expect(values(frozen.getLayer(name)), name).toEqual(values(open.getLayer(name)));
  expect(values(open.getLayer('frozen'))).not.toEqual(start);
  for (let step = 0; step < 3; step++) await frozen.trainOnBatch(x, targets);
  expect(values(frozen.getLayer('frozen'))).toEqual(start);

  const [skipped, computed] = [await kernelCalls(c, frozen, x), await kernelCalls(c, open, x)];
  if (c.method) {
    expect(skipped.weightGradArgs).toEqual([0]);
    expect(computed.weightGradArgs).toHaveLength(1);
    expect(computed.weightGradArgs[0]).not.toBe(0);
  }
  expect(computed.biasGrads - skipped.biasGrads).toBe(c.skipsBiasGrads ?? 0);
}

describe('frozen depthwise, separable and PReLU layers skip their weight gradients', () => {
  it.each(cases)('$name: the same step for the other layers, its weights untouched, no weight-gradient kernel work', expectSkippedWeightGradients);

  it('on the tfjs-cpu backend too: DepthwiseConv2D and PReLU', async () => {
    await km.setBackend('tfjs-cpu');
    try {
      for (const c of [cases[0], cases[5]]) await expectSkippedWeightGradients(c);
    } finally {
      await km.setBackend('wasm');
    }
  });
});

/** tfjs-layers twins of the 2-D cases, built from the same options (kerasm's weights are tfjs' shapes and order). */
const tfjsTwins: { name: string; ours: () => km.layers.Layer; theirs: () => tfl.layers.Layer }[] = [
  {
    name: 'DepthwiseConv2D',
    ours: () => km.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, padding: 'same', activation: 'relu', name: 'frozen' }),
    theirs: () => tfl.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, padding: 'same', activation: 'relu', name: 'frozen' }),
  },
  {
    name: 'SeparableConv2D',
    ours: () => km.layers.separableConv2d({ filters: 4, kernelSize: 2, depthMultiplier: 2, activation: 'relu', name: 'frozen' }),
    theirs: () => tfl.layers.separableConv2d({ filters: 4, kernelSize: 2, depthMultiplier: 2, activation: 'relu', name: 'frozen' }),
  },
  {
    name: 'PReLU',
    ours: () => km.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: km.initializers.constant({ value: 0.3 }), name: 'frozen' }),
    theirs: () => tfl.layers.prelu({ sharedAxes: [1, 2], name: 'frozen' }),
  },
];

describe('frozen depthwise, separable and PReLU layers against tfjs-layers 4.22 with the layer frozen', () => {
  it.each(tfjsTwins)('$name: losses and every weight over SGD steps', async (t) => {
    km.utils.setRandomSeed(42);
    const names = ['below', 'frozen', 'above'];
    const ours = km.sequential([
      km.layers.inputLayer({ inputShape: image }), imageBelow(), t.ours(), km.layers.flatten(), km.layers.dense({ units: 3, activation: 'tanh', name: 'above' }),
    ]);
    const theirs = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh', name: 'below', inputShape: image }), t.theirs(), tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'tanh', name: 'above' }),
      ],
    });
    // Layer by layer: a frozen layer's weights move to the end of a whole model's weight list in tfjs.
    for (const name of names) theirs.getLayer(name).setWeights(ours.getLayer(name).getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    ours.getLayer('frozen').trainable = false;
    theirs.getLayer('frozen').trainable = false;
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });

    const x = data([4, ...image], 0.3);
    const [tfX, tfY] = [tf.tensor(x.dataSync(), [4, ...image]), tf.tensor(targets.dataSync(), [4, 3])];
    const losses: number[][] = [];
    for (let step = 0; step < 4; step++) losses.push([Number(await ours.trainOnBatch(x, targets)), Number(await theirs.trainOnBatch(tfX, tfY))]);
    for (const [our, their] of losses) expect(Math.abs(our - their)).toBeLessThan(1e-5);
    expect(Math.abs(losses[3][1] - losses[0][1])).toBeGreaterThan(1e-3);
    for (const name of names) {
      const reference = theirs.getLayer(name).getWeights().map((w) => w.dataSync());
      ours.getLayer(name).getWeights().forEach((w, i) => w.dataSync().forEach((v, j) => expect(Math.abs(v - reference[i][j]), `${name} weight ${i}[${j}]`).toBeLessThan(1e-5)));
    }
  });
});
