import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

/** Sums of two sines of random frequency and phase, `steps` long, one channel. */
function waves(n: number, steps: number, random: Random): km.Tensor {
  const values = new Float32Array(n * steps);
  for (let i = 0; i < n; i++) {
    const [f1, f2, p1, p2] = [random.uniform(0.5, 2), random.uniform(2, 4), random.uniform(0, 2 * Math.PI), random.uniform(0, 2 * Math.PI)];
    for (let t = 0; t < steps; t++) values[i * steps + t] = 0.6 * Math.sin((2 * Math.PI * f1 * t) / steps + p1) + 0.3 * Math.sin((2 * Math.PI * f2 * t) / steps + p2);
  }
  return km.tensor(values, [n, steps, 1]);
}

/** Volumes [4, 8, 8, 1] holding one 2×3×3 box of ones at a random place. */
function boxes(n: number, random: Random): km.Tensor {
  const [d, h, w] = [4, 8, 8];
  const values = new Float32Array(n * d * h * w);
  for (let i = 0; i < n; i++) {
    const [z0, y0, x0] = [Math.floor(random.uniform(0, d - 1)), Math.floor(random.uniform(0, h - 2)), Math.floor(random.uniform(0, w - 2))];
    for (let z = z0; z < z0 + 2; z++) for (let y = y0; y < y0 + 3; y++) for (let x = x0; x < x0 + 3; x++) values[i * d * h * w + (z * h + y) * w + x] = 1;
  }
  return km.tensor(values, [n, d, h, w, 1]);
}

describe('autoencoders with transposed convolutions learn to reconstruct', () => {
  it('1-D: Conv1D stride 2 ×2 down to [8, 2], Conv1DTranspose stride 2 ×2 back up; held-out error well below the start', async () => {
    const random = new Random(9);
    const [train, test] = [waves(96, 32, random), waves(32, 32, random)];
    km.utils.setRandomSeed(4);
    const model = km.sequential([
      km.layers.conv1d({ filters: 8, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', inputShape: [32, 1] }),
      km.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      km.layers.conv1dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      km.layers.conv1dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same', outputPadding: 1 }),
    ]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const [before] = await model.evaluate(test, test, { verbose: 0 });
    await model.fit(train, train, { epochs: 40, batchSize: 16, seed: 1, verbose: 0 });
    const [after] = await model.evaluate(test, test, { verbose: 0 });
    expect(after).toBeLessThan(0.05 * before);
  });

  it('3-D: Conv3D stride 2 down to [2, 4, 4, 4], Conv3DTranspose stride 2 with outputPadding back up; loss well below the start', async () => {
    const random = new Random(12);
    const x = boxes(48, random);
    km.utils.setRandomSeed(5);
    const model = km.sequential([
      km.layers.conv3d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [4, 8, 8, 1] }),
      km.layers.conv3dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy' });
    const history = await model.fit(x, x, { epochs: 30, batchSize: 16, seed: 1, verbose: 0 });
    const losses = history.history.loss;
    expect(losses.at(-1)!).toBeLessThan(0.15 * losses[0]);
  });
});
