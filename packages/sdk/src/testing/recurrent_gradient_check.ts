import { expect } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from './reference_ops.js';
import { denseReference } from './recurrent_reference.js';
import { expectGradientsClose, kerasmGradients } from './sgd_gradients.js';
import { Random } from '../utils/random.js';

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

/**
 * Builds Dense → `layer` → Flatten → Dense(2) over [steps, ...frame, 2] inputs (the first Dense
 * carries the layer's input gradient into checked weights), checks predictions against the float64
 * `cell` (given the Dense's output, one row per step and frame position, and the layer's own
 * weights), then every weight's gradient against finite differences of that reference. `frame` is
 * empty for sequences of vectors, [height, width] for ConvLSTM2D's sequences of images.
 */
export async function checkRecurrentGradients(seeds: { data: number; weights: number }, steps: number, layer: km.layers.Layer, cell: (x: number[][], own: number[][]) => number[][], names: string[], frame: readonly number[] = []): Promise<void> {
  const random = new Random(seeds.data);
  km.utils.setRandomSeed(seeds.weights);
  const [batch, inFeatures, features] = [3, 2, 3];
  const rows = steps * frame.reduce((a, b) => a * b, 1);
  const model = km.sequential([
    km.layers.dense({ units: features, inputShape: [steps, ...frame, inFeatures], biasInitializer: 'glorotUniform' }),
    layer,
    km.layers.flatten(),
    km.layers.dense({ units: 2 }),
  ]);
  const xs = Array.from({ length: batch }, () => Array.from({ length: rows }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const forward = (x: number[][]): number[] => {
    const [k0, b0] = weights;
    const [k2, b2] = weights.slice(-2);
    const h = cell(denseReference(x, k0, b0), weights.slice(2, -2));
    return denseReference([h.flat()], k2, b2)[0];
  };
  const x = km.tensor(xs.flat(2), [batch, steps, ...frame, inFeatures]);
  const predicted = model.predict(x).arraySync() as number[][];
  xs.forEach((sample, i) => forward(sample).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
  const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
  const expected = finiteDifferences(weights, () => mse(xs.map(forward), targets));
  const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
  expectGradientsClose(grads, expected, ['dense kernel', 'dense bias', ...names, 'output kernel', 'output bias']);
}
