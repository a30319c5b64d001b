import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { ColorAdjustment } from '../backend/backend.js';
import { expectClose } from '../testing/expect_close.js';
import { expectFillsRange } from '../testing/expect_spread.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { refAdjust } from '../testing/transform_reference.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';
import { RandomBrightness, RandomContrast } from './augmentation_layers.js';

// RandomContrast and RandomBrightness: training outputs against float64 loops of Keras 3's
// formulas with the parameters rebuilt from the seed, ranges of the draws, inference
// pass-through, determinism, gradients, config round trip and errors.
beforeAll(() => km.ready());

const random = new Random(6);
const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [5, 4, 3, 3];
const images = Array.from({ length: n * h * w * c }, () => Math.fround(random.uniform(0, 1)));
const x = km.tensor(images, [n, h, w, c]);
const adjustment: ColorAdjustment = { batch: n, pixels: h * w, channels: c, lo: 0, hi: 1 };

describe('training outputs follow Keras 3 per image, clipped to the value range', () => {
  it('randomContrast: (x − mean)·f + mean per channel, f drawn in [1 − lower, 1 + upper]', () => {
    const layer = km.layers.randomContrast({ factor: [0.3, 0.9], valueRange: [0, 1], seed: 4 });
    const r = new Random(4);
    const params = Array.from({ length: n }, () => [r.uniform(0.7, 1.9), 0]).flat();
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expectClose(y, refAdjust(images, params, adjustment), 1e-5);
    expect(y.some((v) => v === 1) && y.some((v) => v === 0)).toBe(true);
  });

  it('randomBrightness: x + u·(high − low), u drawn in the factor range', () => {
    const layer = km.layers.randomBrightness({ factor: 0.4, valueRange: [1, 0], seed: 5 });
    const r = new Random(5);
    const params = Array.from({ length: n }, () => [1, r.uniform(-0.4, 0.4)]).flat();
    expectClose(values(layer.apply(x, { training: true }) as km.Tensor), refAdjust(images, params, adjustment), 1e-6);
  });

  it('the default value range is [0, 255], as in Keras', () => {
    const layer = km.layers.randomBrightness({ factor: [0.5, 0.5], seed: 1 });
    expect(layer.valueRange).toEqual([0, 255]);
    expectClose(values(layer.apply(x, { training: true }) as km.Tensor), images.map((v) => v + 127.5), 1e-6);
  });
});

class ContrastProbe extends RandomContrast {
  sample(r: Random): [number, number] {
    return this.drawAdjustment(r);
  }
}
class BrightnessProbe extends RandomBrightness {
  sample(r: Random): [number, number] {
    return this.drawAdjustment(r);
  }
}

describe('the drawn parameters fill the configured ranges and stay inside them', () => {
  const r = new Random(77);

  it('contrast in [1 − f, 1 + f], brightness in factor·(value range)', () => {
    const contrast = new ContrastProbe({ factor: 0.25 });
    expectFillsRange(Array.from({ length: 2000 }, () => contrast.sample(r)[0]), 0.75, 1.25);
    const brightness = new BrightnessProbe({ factor: [-0.2, 0.1], valueRange: [0, 10] });
    const draws = Array.from({ length: 2000 }, () => brightness.sample(r));
    expectFillsRange(draws.map((d) => d[1]), -2, 1);
    expect(draws.every((d) => d[0] === 1)).toBe(true);
  });
});

describe('in a model', () => {
  it('predict passes images through exactly', () => {
    const m = km.sequential([km.layers.randomContrast({ factor: 0.9, inputShape: [h, w, c] }), km.layers.randomBrightness({ factor: 0.9 })]);
    expect(values(m.predict(x))).toEqual(images);
  });

  it('training with the same seed is bit-identical', async () => {
    const trained = async (seed: number) => {
      km.utils.setRandomSeed(2);
      const m = km.sequential([km.layers.randomContrast({ factor: 0.5, valueRange: [0, 1], seed, inputShape: [h, w, c] }), km.layers.randomBrightness({ factor: 0.2, valueRange: [0, 1], seed }), km.layers.flatten(), km.layers.dense({ units: 2 })]);
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      await m.fit(x, km.tensor(images.slice(0, n * 2), [n, 2]), { epochs: 2, batchSize: 2, verbose: 0 });
      return m.getWeights().flatMap(values);
    };
    const first = await trained(31);
    expect(await trained(31)).toEqual(first);
    expect(await trained(32)).not.toEqual(first);
  });

  it('passes the gradient through the clip and the channel means to a trainable layer before it (finite differences)', async () => {
    const [k, size] = [2, 3 * 2 * 2];
    const a: ColorAdjustment = { batch: 3, pixels: 6, channels: 2, lo: -0.5, hi: 0.5 };
    const inputs = Array.from({ length: 3 * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: 3 * size }, () => random.uniform(-1, 1));
    const m = km.sequential([
      km.layers.dense({ units: size, inputShape: [k] }),
      km.layers.reshape({ targetShape: [3, 2, 2] }),
      km.layers.randomContrast({ factor: 0.8, valueRange: [-0.5, 0.5], seed: 3 }),
      km.layers.flatten(),
    ]);
    const r = new Random(3);
    const params = [0, 1, 2].flatMap(() => [r.uniform(0.2, 1.8), 0]);
    await expectDenseFirstGradients(m, inputs, targets, 3, (hidden) => refAdjust(hidden, params, a));
  });

  it('saves and loads with Keras 3 config names', async () => {
    const m = km.sequential([km.layers.randomContrast({ factor: [0.1, 0.3], valueRange: [0, 1], seed: 9, inputShape: [h, w, c] }), km.layers.randomBrightness({ factor: 0.2 })]);
    const artifacts = await kerasmArtifacts(m);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const saved = Object.fromEntries(layers.map((l) => [l.class_name, l.config]));
    expect(saved.RandomContrast).toMatchObject({ factor: [0.1, 0.3], value_range: [0, 1], seed: 9 });
    expect(saved.RandomBrightness).toMatchObject({ factor: 0.2, value_range: [0, 255], seed: null });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });
});

describe('bad options get clear errors', () => {
  it.each([
    [() => km.layers.randomContrast({ factor: 1.5 }), /factor must be a number in \[0, 1\].*Received: factor=1.5/],
    [() => km.layers.randomContrast({ factor: -0.1 }), /factor must be a number in \[0, 1\].*Received: factor=-0.1/],
    [() => km.layers.randomBrightness({ factor: [-2, 0] }), /factor must be a number or a \[lower, upper\] pair.*Received: factor=\[-2,0\]/],
    [() => km.layers.randomBrightness({ factor: 0.1, valueRange: [0] as unknown as [number, number] }), /valueRange must be a \[low, high\] pair.*Received: valueRange=\[0\]/],
    [() => km.layers.randomContrast({ factor: 0.1, valueRange: [1, 1] }), /valueRange must be a \[low, high\] pair of different finite numbers/],
    [() => km.layers.randomContrast({ factor: 0.1, seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.layers.randomBrightness({ factor: 0.1, value_range: [0, 1] } as unknown as { factor: number }), /has no option 'value_range'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses inputs that are not images', () => {
    expect(() => km.sequential([km.layers.randomContrast({ factor: 0.1, inputShape: [10] })])).toThrow(/RandomContrast layer .* expects inputs of shape \(None, height, width, channels\)/);
  });
});
