import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

// Naive float64 sequence ops over [steps][channels] arrays, written from Keras' definitions.
type Sequence = number[][];
type Padding = 'valid' | 'same' | 'causal';

function leftPad(steps: number, k: number, stride: number, dilation: number, padding: Padding): [number, number] {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'causal') return [Math.floor((steps - 1) / stride) + 1, eff - 1];
  if (padding === 'valid') return [Math.floor((steps - eff) / stride) + 1, 0];
  const out = Math.ceil(steps / stride);
  return [out, Math.floor(Math.max(0, (out - 1) * stride + eff - steps) / 2)];
}

/** The input positions each output step reads (inside the sequence), with the tap index. */
function windows(steps: number, k: number, stride: number, dilation: number, padding: Padding): [number, number][][] {
  const [out, pad] = leftPad(steps, k, stride, dilation, padding);
  return Array.from({ length: out }, (_, o) => Array.from({ length: k }, (_, t): [number, number] => [o * stride - pad + t * dilation, t]).filter(([i]) => i >= 0 && i < steps));
}

function conv1d(x: Sequence, kernel: number[], bias: number[], k: number, stride: number, dilation: number, padding: Padding): Sequence {
  const [inC, outC] = [x[0].length, bias.length];
  return windows(x.length, k, stride, dilation, padding).map((taps) =>
    bias.map((b, o) => taps.reduce((s, [i, t]) => s + x[i].reduce((u, v, c) => u + v * kernel[(t * inC + c) * outC + o], 0), b)));
}

function pool1d(x: Sequence, size: number, stride: number, padding: 'valid' | 'same', kind: 'max' | 'avg'): Sequence {
  return windows(x.length, size, stride, 1, padding).map((taps) => x[0].map((_, c) => {
    const v = taps.map(([i]) => x[i][c]);
    return kind === 'max' ? Math.max(...v) : v.reduce((a, b) => a + b, 0) / v.length;
  }));
}

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

const cases = [
  { name: 'causal dilated Conv1D, max pooling (same), strided same Conv1D', padding: 'causal' as const, pool: 'max' as const, poolPadding: 'same' as const },
  { name: 'valid Conv1D, average pooling (valid), strided same Conv1D', padding: 'valid' as const, pool: 'avg' as const, poolPadding: 'valid' as const },
];

describe('Embedding and Conv1D gradients against float64 finite differences', () => {
  it.each(cases)('$name; repeated token ids sum into the table', async (c) => {
    const random = new Random(17);
    km.utils.setRandomSeed(4);
    const [steps, vocabulary, dim, batch] = [11, 6, 3, 3];
    const dilation = c.padding === 'causal' ? 2 : 1;
    const model = km.sequential([
      km.layers.embedding({ inputDim: vocabulary, outputDim: dim, inputShape: [steps], embeddingsInitializer: 'glorotUniform' }),
      km.layers.conv1d({ filters: 4, kernelSize: 3, padding: c.padding, dilationRate: dilation, activation: 'tanh', biasInitializer: 'glorotUniform' }),
      c.pool === 'max' ? km.layers.maxPooling1d({ poolSize: 2, padding: c.poolPadding }) : km.layers.averagePooling1d({ poolSize: 2, padding: c.poolPadding }),
      km.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    // Tokens 0..5 over 11 steps: every sample repeats some.
    const tokens = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Math.floor(random.uniform(0, vocabulary))));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (ids: number[]): number[] => {
      const embedded = ids.map((id) => weights[0].slice(id * dim, (id + 1) * dim));
      const h1 = conv1d(embedded, weights[1], weights[2], 3, 1, dilation, c.padding).map((row) => row.map(Math.tanh));
      return conv1d(pool1d(h1, 2, 2, c.poolPadding, c.pool), weights[3], weights[4], 2, 2, 1, 'same').flat();
    };
    const x = km.tensor(Int32Array.from(tokens.flat()), [batch, steps], 'int32');
    const predicted = model.predict(x).arraySync() as number[][];
    const outSize = predicted[0].length;
    tokens.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const targets = Array.from({ length: batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));

    const expected = finiteDifferences(weights, () => mse(tokens.map(forward), targets));
    // A row of the table no token uses gets no gradient at all.
    const unused = Array.from({ length: vocabulary }, (_, v) => v).filter((v) => !tokens.flat().includes(v));
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, outSize]));
    expectGradientsClose(grads, expected, ['embeddings', 'kernel1', 'bias1', 'kernel2', 'bias2']);
    for (const v of unused) expect(Array.from(grads[0].slice(v * dim, (v + 1) * dim))).toEqual([0, 0, 0]);
  });
});
