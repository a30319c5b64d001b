import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const [frames, size] = [4, 8];

/**
 * Clips of a 2×2 blob moving one pixel per frame, left (label 0) or right (label 1), in pairs: each
 * clip comes with its time reversal, which holds the same frames in the opposite order and so
 * moves the other way. A model that looks at frames one at a time and pools over time gives a clip
 * and its reversal the same output, so it gets exactly one of each pair right.
 */
function movingBlobs(pairs: number, random: Random): { x: km.Tensor; y: km.Tensor } {
  const clip = (y0: number, x0: number, step: number) => {
    const v = new Float32Array(frames * size * size);
    for (let t = 0; t < frames; t++) {
      const x = x0 + t * step;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) v[(t * size + y0 + dy) * size + x + dx] = 1;
    }
    return v;
  };
  const data: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const y0 = Math.floor(random.uniform(0, size - 1));
    const x0 = Math.floor(random.uniform(0, size - 1 - (frames - 1)));
    data.push(clip(y0, x0, 1), clip(y0, x0 + frames - 1, -1));
    labels.push(1, 0);
  }
  const flat = new Float32Array(data.length * frames * size * size);
  data.forEach((v, i) => flat.set(v, i * v.length));
  return { x: km.tensor(flat, [data.length, frames, size, size, 1]), y: km.tensor(Int32Array.from(labels), [labels.length], 'int32') };
}

async function heldOutAccuracy(kernelSize: [number, number, number]): Promise<number> {
  const random = new Random(3);
  const train = movingBlobs(64, random);
  const test = movingBlobs(32, random);
  km.utils.setRandomSeed(7);
  const model = km.sequential([
    km.layers.conv3d({ filters: 8, kernelSize, padding: 'same', activation: 'relu', inputShape: [frames, size, size, 1] }),
    km.layers.globalMaxPooling3d(),
    km.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.x, train.y, { epochs: 40, batchSize: 16, seed: 1, verbose: 0 });
  const [, accuracy] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
  return accuracy;
}

describe('Conv3D learns motion that a per-frame model cannot see', () => {
  it('classifies the direction of moving blobs; a [1, 3, 3] kernel (per frame) stays at chance', async () => {
    expect(await heldOutAccuracy([3, 3, 3])).toBeGreaterThan(0.9);
    expect(await heldOutAccuracy([1, 3, 3])).toBeLessThanOrEqual(0.5);
  });
});
