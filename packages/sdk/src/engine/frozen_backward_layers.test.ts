import { describe, expect, it, vi } from 'vitest';
import { backend } from '../backend/registry.js';
import * as km from '../index.js';

// Each layer with weights skips its weight gradients when frozen between trainable layers (see
// frozen_backward.test.ts for Dense and the GEMM convolutions), and passes on exactly the input
// gradient it passes when it trains: after one SGD step the other layers' weights are the same
// bit for bit, whether the layer under test trains or not.

function data(shape: number[], phase: number): km.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return km.tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase)), shape);
}

const values = (layer: { getWeights(): km.Tensor[] }): number[][] => layer.getWeights().map((w) => Array.from(w.dataSync()));

/** A model whose layer named 'frozen' sits between trainable layers, with the backend work its weight gradients cost. */
interface Case {
  readonly name: string;
  readonly build: () => km.LayersModel;
  readonly x: km.Tensor;
  readonly y: km.Tensor;
  /** The backend method the frozen layer calls less, and which of its calls count (default: all). */
  readonly method: 'matMul' | 'layerNormBackward' | 'groupNormBackward' | 'rmsNormBackward' | 'columnSum' | 'embeddingBackward';
  readonly counts?: (args: unknown[]) => boolean;
  /** How many fewer counted calls one training step makes with the layer frozen. */
  readonly fewer: number;
}

/** The layer under test between a trainable layer below and a Dense above, in a Sequential model. */
function between(input: number[], below: () => km.layers.Layer, layer: () => km.layers.Layer, flatten = true): () => km.LayersModel {
  return () => km.sequential([
    km.layers.inputLayer({ inputShape: input }), below(), layer(), ...(flatten ? [km.layers.flatten({ name: 'flatten' })] : []),
    km.layers.dense({ units: 3, activation: 'tanh', name: 'above' }),
  ]);
}

/** Self-attention on a trainable Dense's output, then a Dense above. */
function selfAttention(layer: () => km.layers.Layer): () => km.LayersModel {
  return () => {
    const x = km.input({ shape: [4, 5] });
    const h = km.layers.dense({ units: 6, activation: 'tanh', name: 'below' }).apply(x) as km.SymbolicTensor;
    const attended = layer().apply([h, h]) as km.SymbolicTensor;
    const out = km.layers.dense({ units: 3, activation: 'tanh', name: 'above' }).apply(km.layers.flatten({ name: 'flatten' }).apply(attended) as km.SymbolicTensor);
    return km.model({ inputs: x, outputs: out as km.SymbolicTensor });
  };
}

const sequence = data([4, 5, 3], 0.1);
const sequenceTargets = data([4, 3], 0.7);
const recurrentBelow = () => km.layers.dense({ units: 4, activation: 'tanh', name: 'below' });

/** A nonzero dGamma or dScale argument: the normalization kernels skip a gradient given 0. */
const writesWeightGrad = (index: number) => (args: unknown[]) => args[index] !== 0;

const cases: Case[] = [
  {
    name: 'Conv2DTranspose', x: data([3, 4, 4, 2], 0.2), y: data([3, 3], 0.5), method: 'matMul', fewer: 1,
    build: between([4, 4, 2], () => km.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', activation: 'tanh', name: 'below' }),
      () => km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, activation: 'relu', name: 'frozen' })),
  },
  {
    name: 'Conv1DTranspose', x: data([3, 6, 2], 0.3), y: data([3, 3], 0.5), method: 'matMul', fewer: 1,
    build: between([6, 2], () => km.layers.conv1d({ filters: 3, kernelSize: 2, activation: 'tanh', name: 'below' }),
      () => km.layers.conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', name: 'frozen' })),
  },
  {
    name: 'Conv3DTranspose', x: data([2, 3, 3, 3, 1], 0.4), y: data([2, 3], 0.5), method: 'matMul', fewer: 1,
    build: between([3, 3, 3, 1], () => km.layers.conv3d({ filters: 2, kernelSize: 2, padding: 'same', activation: 'tanh', name: 'below' }),
      () => km.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2, name: 'frozen' })),
  },
  // dW = xᵀ·dz and dU = hᵀ·dz, each one GEMM over every step.
  { name: 'LSTM', x: sequence, y: sequenceTargets, method: 'matMul', fewer: 2, build: between([5, 3], recurrentBelow, () => km.layers.lstm({ units: 6, name: 'frozen' }), false) },
  { name: 'SimpleRNN', x: sequence, y: sequenceTargets, method: 'matMul', fewer: 2, build: between([5, 3], recurrentBelow, () => km.layers.simpleRNN({ units: 6, returnSequences: true, name: 'frozen' })) },
  { name: 'GRU (reset after)', x: sequence, y: sequenceTargets, method: 'matMul', fewer: 2, build: between([5, 3], recurrentBelow, () => km.layers.gru({ units: 6, resetAfter: true, name: 'frozen' }), false) },
  // The reset-before GRU adds dU's two column blocks up step by step: 2 GEMMs at each of steps 2..5, and dW.
  { name: 'GRU (reset before)', x: sequence, y: sequenceTargets, method: 'matMul', fewer: 2 * 4 + 1, build: between([5, 3], recurrentBelow, () => km.layers.gru({ units: 6, resetAfter: false, name: 'frozen' }), false) },
  {
    name: 'Bidirectional LSTM', x: sequence, y: sequenceTargets, method: 'matMul', fewer: 2 * 2,
    build: between([5, 3], recurrentBelow, () => km.layers.bidirectional({ layer: km.layers.lstm({ units: 3 }), name: 'frozen' }), false),
  },
  {
    // dW: one GEMM on the input columns; dU: one per step after the first.
    name: 'ConvLSTM2D', x: data([2, 3, 4, 4, 1], 0.5), y: data([2, 3], 0.5), method: 'matMul', fewer: 1 + 2,
    build: between([3, 4, 4, 1], () => km.layers.conv3d({ filters: 2, kernelSize: 1, activation: 'tanh', name: 'below' }),
      () => km.layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'frozen' })),
  },
  // The four projections' kernels: query, key, value and output.
  { name: 'MultiHeadAttention', x: data([3, 4, 5], 0.6), y: data([3, 3], 0.5), method: 'matMul', fewer: 4, build: selfAttention(() => km.layers.multiHeadAttention({ numHeads: 2, keyDim: 3, name: 'frozen' })) },
  {
    name: 'GroupQueryAttention', x: data([3, 4, 5], 0.65), y: data([3, 3], 0.5), method: 'matMul', fewer: 4,
    build: selfAttention(() => km.layers.groupQueryAttention({ headDim: 3, numQueryHeads: 2, numKeyValueHeads: 1, name: 'frozen' })),
  },
  {
    name: 'LayerNormalization', x: data([4, 5], 0.7), y: data([4, 3], 0.5), method: 'layerNormBackward', counts: writesWeightGrad(6), fewer: 1,
    build: between([5], () => km.layers.dense({ units: 6, activation: 'tanh', name: 'below' }), () => km.layers.layerNormalization({ name: 'frozen' }), false),
  },
  {
    name: 'GroupNormalization', x: data([3, 4, 3], 0.8), y: data([3, 3], 0.5), method: 'groupNormBackward', counts: writesWeightGrad(6), fewer: 1,
    build: between([4, 3], () => km.layers.dense({ units: 4, activation: 'tanh', name: 'below' }), () => km.layers.groupNormalization({ groups: 2, name: 'frozen' })),
  },
  {
    name: 'RMSNormalization', x: data([4, 5], 0.9), y: data([4, 3], 0.5), method: 'rmsNormBackward', counts: writesWeightGrad(5), fewer: 1,
    build: between([5], () => km.layers.dense({ units: 6, activation: 'tanh', name: 'below' }), () => km.layers.rmsNormalization({ name: 'frozen' }), false),
  },
  {
    // Its output does not depend on its input: the layer below gets a zero gradient through it, and its own through the sum.
    name: 'PositionEmbedding', x: data([3, 4, 3], 1.0), y: data([3, 3], 0.5), method: 'columnSum', fewer: 1,
    build: () => {
      const x = km.input({ shape: [4, 3] });
      const h = km.layers.dense({ units: 3, activation: 'tanh', name: 'below' }).apply(x) as km.SymbolicTensor;
      const positions = km.layers.positionEmbedding({ sequenceLength: 4, name: 'frozen' }).apply(h) as km.SymbolicTensor;
      const sum = km.layers.add({ name: 'sum' }).apply([h, positions]) as km.SymbolicTensor;
      const out = km.layers.dense({ units: 3, activation: 'tanh', name: 'above' }).apply(km.layers.flatten({ name: 'flatten' }).apply(sum) as km.SymbolicTensor);
      return km.model({ inputs: x, outputs: out as km.SymbolicTensor });
    },
  },
];

/** The case's model with the layer under test frozen or trainable, its weights drawn from the same seed either way. */
function make(c: Case, frozen: boolean): km.LayersModel {
  km.utils.setRandomSeed(31);
  const model = c.build();
  model.getWeights(); // draws the weights now, from this seed
  model.getLayer('frozen').trainable = !frozen;
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

/** The counted calls of the backend's `method` made by one training step. */
async function calls(c: Case, model: km.LayersModel): Promise<number> {
  const spy = vi.spyOn(backend(), c.method);
  try {
    await model.trainOnBatch(c.x, c.y);
    return spy.mock.calls.filter((args) => (c.counts ?? (() => true))(args)).length;
  } finally {
    spy.mockRestore();
  }
}

describe('frozen layers skip their weight gradients and pass the same gradient on', () => {
  it.each(cases)('$name', async (c) => {
    const [frozen, open] = [make(c, true), make(c, false)];
    const start = values(frozen.getLayer('frozen'));
    // One SGD step: the other layers' gradients do not depend on whether the layer trains.
    expect(await frozen.trainOnBatch(c.x, c.y)).toBe(await open.trainOnBatch(c.x, c.y));
    const others = open.layers.filter((l) => l.name !== 'frozen' && l.getWeights().length > 0).map((l) => l.name);
    expect(others).toContain('below');
    for (const name of others) expect(values(frozen.getLayer(name)), name).toEqual(values(open.getLayer(name)));
    expect(values(frozen.getLayer('frozen'))).toEqual(start);
    expect(values(open.getLayer('frozen'))).not.toEqual(start);
    expect(await calls(c, open) - await calls(c, frozen)).toBe(c.fewer);
  });

  it('a frozen Embedding at the bottom runs no backward at all', async () => {
    const indices = km.tensor(Float32Array.from({ length: 12 }, (_, i) => (i * 7) % 5), [3, 4]);
    const build = (frozen: boolean) => {
      km.utils.setRandomSeed(32);
      const model = km.sequential([
        km.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [4], name: 'frozen' }), km.layers.flatten({ name: 'flatten' }),
        km.layers.dense({ units: 3, activation: 'tanh', name: 'above' }),
      ]);
      model.getWeights();
      model.getLayer('frozen').trainable = !frozen;
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return model;
    };
    const c: Case = { name: 'Embedding', build: () => build(true), x: indices, y: data([3, 3], 0.5), method: 'embeddingBackward', fewer: 1 };
    const [frozen, open] = [build(true), build(false)];
    const start = values(frozen.getLayer('frozen'));
    expect(await frozen.trainOnBatch(c.x, c.y)).toBe(await open.trainOnBatch(c.x, c.y));
    expect(values(frozen.getLayer('above'))).toEqual(values(open.getLayer('above')));
    expect(values(frozen.getLayer('frozen'))).toEqual(start);
    expect(await calls(c, frozen)).toBe(0);
    expect(await calls(c, open)).toBe(1);
  });
});
