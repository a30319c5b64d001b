import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

// RandomCrop: one random window per batch while training (rebuilt from the seed), Keras' centred
// aspect-ratio window resized at inference (against tf.image.resizeBilinear), gradients, config and errors.
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const values = (t: km.Tensor) => Array.from(t.dataSync());
const random = new Random(12);
const [n, H, W, c] = [6, 7, 9, 2];
const images = Array.from({ length: n * H * W * c }, () => Math.fround(random.uniform(-1, 1)));
const x = km.tensor(images, [n, H, W, c]);

/** The [top, top + h) × [left, left + w) window of image b. */
function window(source: number[], b: number, top: number, left: number, h: number, w: number, height = H, width = W): number[] {
  const out: number[] = [];
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let ch = 0; ch < c; ch++) out.push(source[((b * height + top + i) * width + left + j) * c + ch]);
  return out;
}

describe('RandomCrop', () => {
  it('training cuts one window, drawn from the seed, out of every image of the batch, as Keras', () => {
    const layer = km.layers.randomCrop({ height: 4, width: 5, seed: 3 });
    const r = new Random(3);
    for (let pass = 0; pass < 3; pass++) {
      const y = values(layer.apply(x, { training: true }) as km.Tensor);
      const top = Math.trunc(r.uniform(0, H - 4 + 1));
      const left = Math.trunc(r.uniform(0, W - 5 + 1));
      expect(y).toEqual(Array.from({ length: n }, (_, b) => window(images, b, top, left, 4, 5)).flat());
    }
  });

  it('the offsets reach every position and no further', () => {
    const [h, w] = [5, 6];
    const positions = Array.from({ length: 2 * h * w }, (_, i) => i % (h * w));
    const layer = km.layers.randomCrop({ height: 2, width: 3, seed: 8 });
    const starts = Array.from({ length: 400 }, () => {
      const y = values(layer.apply(km.tensor(positions, [2, h, w, 1]), { training: true }) as km.Tensor);
      expect(y[6]).toBe(y[0]);
      return y[0];
    });
    expect([...new Set(starts.map((s) => Math.floor(s / w)))].sort()).toEqual([0, 1, 2, 3]);
    expect([...new Set(starts.map((s) => s % w))].sort()).toEqual([0, 1, 2, 3]);
  });

  it("inference (and training on an image not larger than the target) resize Keras' centred aspect-ratio window", () => {
    const layer = km.layers.randomCrop({ height: 4, width: 3 });
    // Aspect 4:3 in a 7x9 image: the window is 7 rows by trunc(7·3/4) = 5 columns, starting at column 2.
    const crop = tf.slice(tf.tensor4d(images, [n, H, W, c]), [0, 0, 2, 0], [n, 7, 5, c]);
    const expected = Array.from(tf.image.resizeBilinear(crop as tf.Tensor4D, [4, 3], false, true).dataSync());
    expectClose(values(layer.apply(x, { training: false }) as km.Tensor), expected, 1e-5);
    const tall = km.layers.randomCrop({ height: 8, width: 3, seed: 1 });
    const inTraining = values(tall.apply(x, { training: true }) as km.Tensor);
    expectClose(inTraining, values(tall.apply(x, { training: false }) as km.Tensor), 0);
    expect(km.sequential([km.layers.randomCrop({ height: 4, width: 3, inputShape: [H, W, c] })]).predict(x).shape).toEqual([n, 4, 3, c]);
  });

  it('passes the gradient into the windows (finite differences)', async () => {
    const [k, size] = [2, 4 * 5 * 2];
    const inputs = Array.from({ length: 3 * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: 3 * 2 * 3 * 2 }, () => random.uniform(-1, 1));
    const m = km.sequential([
      km.layers.dense({ units: size, inputShape: [k] }),
      km.layers.reshape({ targetShape: [4, 5, 2] }),
      km.layers.randomCrop({ height: 2, width: 3, seed: 5 }),
      km.layers.flatten(),
    ]);
    const r = new Random(5);
    const [top, left] = [Math.trunc(r.uniform(0, 3)), Math.trunc(r.uniform(0, 3))];
    await expectDenseFirstGradients(m, inputs, targets, 3, (hidden) => [0, 1, 2].flatMap((b) => window(hidden, b, top, left, 2, 3, 4, 5)));
  });

  it('saves and loads with Keras 3 config names', async () => {
    const m = km.sequential([km.layers.randomCrop({ height: 4, width: 5, seed: 2, inputShape: [H, W, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const [saved] = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.filter((l) => l.class_name === 'RandomCrop');
    expect(saved.config).toMatchObject({ height: 4, width: 5, seed: 2, data_format: 'channels_last' });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers[0].getConfig()).toEqual(m.layers[0].getConfig());
    expect(values(reloaded.predict(x))).toEqual(values(m.predict(x)));
  });

  it.each([
    [() => km.layers.randomCrop({ height: 0, width: 3 }), /height/],
    [() => km.layers.randomCrop({ height: 3, width: 2.5 }), /width/],
    [() => km.layers.randomCrop({ height: 3, width: 3, seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.sequential([km.layers.randomCrop({ height: 3, width: 3, inputShape: [9, 9] })]), /RandomCrop layer .* expects inputs of shape \(None, height, width, channels\)/],
  ])('error %#', (make, message) => {
    expect(make).toThrow(message);
  });
});
