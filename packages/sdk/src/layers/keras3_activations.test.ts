import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's glu as an Activation layer (the last axis halves), its refusal where a layer's output
// shape cannot follow, and saving the later Keras 3 activations, which tfjs-layers 4.22 lacks.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const gluRow = (row: number[]): number[] => {
  const half = row.length / 2;
  return row.slice(0, half).map((a, c) => a * sigmoid(row[half + c]));
};

describe("km.layers.activation({ activation: 'glu' })", () => {
  it('halves the last axis of any rank and computes a·σ(b) per step against a naive loop', () => {
    const model = km.sequential([km.layers.activation({ activation: 'glu', inputShape: [3, 4] })]);
    expect(model.outputs[0].shape).toEqual([3, 2]);
    const random = new Random(1);
    const x = Array.from({ length: 2 * 3 * 4 }, () => random.uniform(-5, 5));
    const y = model.predict(km.tensor(x, [2, 3, 4]));
    expect(y.shape).toEqual([2, 3, 2]);
    const expected = Array.from({ length: 6 }, (_, r) => gluRow(x.slice(r * 4, r * 4 + 4))).flat();
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it('refuses an odd last axis, naming its size and the fix', () => {
    expect(() => km.sequential([km.layers.dense({ units: 5, inputShape: [3] }), km.layers.activation({ activation: 'glu', name: 'gate' })])).toThrow(
      "Activation layer 'gate': glu splits the last axis into two halves, so its size must be even. Received: input shape (None, 5) (last axis 5). Give the layer before it an even number of units or filters.",
    );
  });

  it.each([
    ['Dense', () => km.layers.dense({ units: 4, activation: 'glu' as never, name: 'g' })],
    ['Conv2D', () => km.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'glu' as never, name: 'g' })],
    ['LSTM', () => km.layers.lstm({ units: 4, activation: 'glu' as never, name: 'g' })],
  ])("%s refuses glu as its activation, naming km.layers.activation({ activation: 'glu' }) after it", (_, make) => {
    expect(make).toThrow(/Activation 'glu' in layer 'g' halves the last axis, which this layer's output shape does not follow .*Apply it after the layer instead: km\.layers\.activation\(\{ activation: 'glu' \}\), with twice the units or filters on this layer\./);
  });

  it('trains: Dense → glu → Dense gradients against float64 finite differences', async () => {
    km.utils.setRandomSeed(11);
    const model = km.sequential([
      km.layers.dense({ units: 6, inputShape: [4], biasInitializer: 'glorotUniform' }),
      km.layers.activation({ activation: 'glu' }),
      km.layers.dense({ units: 2 }),
    ]);
    const random = new Random(3);
    const xs = Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => random.uniform(-2, 2)));
    const ys = Array.from({ length: 5 }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync(), Number));
    const shapes = model.getWeights().map((w) => w.shape);
    const dense = (x: number[], w: number[], b: number[], units: number): number[] =>
      b.map((bias, j) => bias + x.reduce((s, v, i) => s + v * w[i * units + j], 0));
    const loss = (p: number[][]): number => {
      let total = 0;
      xs.forEach((x, n) => {
        const out = dense(gluRow(dense(x, p[0], p[1], 6)), p[2], p[3], 2);
        total += out.reduce((s, v, j) => s + (v - ys[n][j]) ** 2, 0) / 2;
      });
      return total / xs.length;
    };
    const h = 1e-6;
    const expected = weights.map((w, i) => w.map((_, j) => {
      const probe = (delta: number) => loss(weights.map((p, k) => (k === i ? p.map((v, m) => (m === j ? v + delta : v)) : p)));
      return (probe(h) - probe(-h)) / (2 * h);
    }));
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs), km.tensor(ys));
    expect(shapes.map((s) => s.join('x'))).toEqual(['4x6', '6', '3x2', '2']);
    expectGradientsClose(actual, expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});

describe('saving the later Keras 3 activations: kerasm reloads them, tfjs-layers 4.22 refuses them by name', () => {
  it.each(['squareplus', 'soft_shrink', 'hard_shrink', 'tanh_shrink', 'sparse_plus', 'sparsemax'] as const)('%s on Dense and glu on an Activation layer', async (kind) => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([
      km.layers.dense({ inputShape: [3], units: 4, activation: kind }),
      km.layers.activation({ activation: 'glu' }),
    ]);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { config: { activation: string } }[] } }).config.layers;
    expect(layers.map((l) => l.config.activation)).toEqual([kind, 'glu']);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const x = km.tensor([[0.5, -1, 2], [3, 0, -2]]);
    expect(reloaded.outputs[0].shape).toEqual([2]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    // tfjs camelCases the name in its message (softShrink).
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(new RegExp(`Unknown activation: ${kind.replace('_', '')}`, 'i'));
  });
});
