import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { ImageTransform } from '../backend/backend.js';
import { expectClose } from '../testing/expect_close.js';
import { expectFillsRange } from '../testing/expect_spread.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { refTransform } from '../testing/transform_reference.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';
import { RandomRotation, RandomTranslation, RandomZoom } from './augmentation_layers.js';

// RandomTranslation, RandomRotation and RandomZoom: training outputs against the float64 sampling
// of transforms rebuilt here from Keras 3's matrices and the layer's seed, the ranges of the
// drawn parameters, determinism, inference pass-through, gradients, config round trip and errors.
beforeAll(() => km.ready());

const random = new Random(5);
const draw = (n: number) => Array.from({ length: n }, () => Math.fround(random.uniform(-2, 2)));
const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [4, 7, 6, 3];
const images = draw(n * h * w * c);
const x = km.tensor(images, [n, h, w, c]);

// Keras 3's matrices, written from its layers' code: each maps output pixels to input pixels.
const translation = (dx: number, dy: number) => [1, 0, -dx, 0, 1, -dy, 0, 0];
function rotation(angle: number, height: number, width: number): number[] {
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const xOffset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2;
  const yOffset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2;
  return [cos, -sin, xOffset, sin, cos, yOffset, 0, 0];
}
const zoom = (zx: number, zy: number, height: number, width: number) => [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];

const transformOf = (fillMode: ImageTransform['fillMode'], interpolation: ImageTransform['interpolation'], fillValue = 0): ImageTransform =>
  ({ batch: n, height: h, width: w, channels: c, fillMode, interpolation, fillValue });

describe('training outputs are the images sampled through the drawn transforms', () => {
  it('randomTranslation: dy then dx per image, as fractions of the size', () => {
    const layer = km.layers.randomTranslation({ heightFactor: [-0.3, 0.2], widthFactor: 0.4, fillMode: 'constant', fillValue: 0.5, seed: 11 });
    const r = new Random(11);
    const transforms = Array.from({ length: n }, () => {
      const dy = r.uniform(-0.3, 0.2) * h;
      return translation(r.uniform(-0.4, 0.4) * w, dy);
    }).flat();
    expectClose(values(layer.apply(x, { training: true }) as km.Tensor), refTransform(images, transforms, transformOf('constant', 'bilinear', 0.5)), 1e-5);
  });

  it('randomRotation: a fraction of a full turn about the centre', () => {
    const layer = km.layers.randomRotation({ factor: 0.2, interpolation: 'nearest', fillMode: 'wrap', seed: 12 });
    const r = new Random(12);
    const transforms = Array.from({ length: n }, () => rotation(2 * Math.PI * r.uniform(-0.2, 0.2), h, w)).flat();
    expectClose(values(layer.apply(x, { training: true }) as km.Tensor), refTransform(images, transforms, transformOf('wrap', 'nearest')), 1e-5);
  });

  it('randomZoom: one zoom per axis, or the vertical one for both when widthFactor is absent', () => {
    const both = km.layers.randomZoom({ heightFactor: [-0.5, 0.3], widthFactor: [0.1, 0.2], seed: 13 });
    let r = new Random(13);
    let transforms = Array.from({ length: n }, () => {
      const zy = 1 + r.uniform(-0.5, 0.3);
      return zoom(1 + r.uniform(0.1, 0.2), zy, h, w);
    }).flat();
    expectClose(values(both.apply(x, { training: true }) as km.Tensor), refTransform(images, transforms, transformOf('reflect', 'bilinear')), 1e-5);
    const tied = km.layers.randomZoom({ heightFactor: 0.3, fillMode: 'nearest', seed: 14 });
    r = new Random(14);
    transforms = Array.from({ length: n }, () => {
      const z = 1 + r.uniform(-0.3, 0.3);
      return zoom(z, z, h, w);
    }).flat();
    expectClose(values(tied.apply(x, { training: true }) as km.Tensor), refTransform(images, transforms, transformOf('nearest', 'bilinear')), 1e-5);
  });
});

// Reads the protected draw, the parameters a training batch uses.
class TranslationProbe extends RandomTranslation {
  sample(r: Random): number[] {
    return this.drawTransform(r, 10, 20);
  }
}
class RotationProbe extends RandomRotation {
  sample(r: Random): number[] {
    return this.drawTransform(r, 10, 20);
  }
}
class ZoomProbe extends RandomZoom {
  sample(r: Random): number[] {
    return this.drawTransform(r, 10, 20);
  }
}

describe('the drawn parameters fill the configured ranges and stay inside them', () => {
  const r = new Random(99);

  it('translation: −a2 in widthFactor·width, −b2 in heightFactor·height', () => {
    const probe = new TranslationProbe({ heightFactor: [0.1, -0.3], widthFactor: 0.25 });
    const draws = Array.from({ length: 2000 }, () => probe.sample(r));
    expectFillsRange(draws.map((t) => -t[2]), -0.25 * 20, 0.25 * 20);
    expectFillsRange(draws.map((t) => -t[5]), -0.3 * 10, 0.1 * 10);
  });

  it('rotation: the angle in factor·2π', () => {
    const probe = new RotationProbe({ factor: [-0.1, 0.05] });
    expectFillsRange(Array.from({ length: 2000 }, () => {
      const t = probe.sample(r);
      return Math.atan2(t[3], t[0]) / (2 * Math.PI);
    }), -0.1, 0.05);
  });

  it('zoom: each axis in 1 + its factor, the width following the height when it has none', () => {
    const probe = new ZoomProbe({ heightFactor: 0.2, widthFactor: [-0.4, -0.1] });
    const draws = Array.from({ length: 2000 }, () => probe.sample(r));
    expectFillsRange(draws.map((t) => t[4]), 0.8, 1.2);
    expectFillsRange(draws.map((t) => t[0]), 0.6, 0.9);
    const tied = new ZoomProbe({ heightFactor: 0.2 });
    expect(Array.from({ length: 50 }, () => tied.sample(r)).every((t) => t[0] === t[4])).toBe(true);
  });
});

describe('in a model', () => {
  const model = (seed: number | null) => km.sequential([
    km.layers.randomTranslation({ heightFactor: 0.2, widthFactor: 0.2, seed, inputShape: [h, w, c] }),
    km.layers.randomRotation({ factor: 0.1, seed }),
    km.layers.randomZoom({ heightFactor: 0.2, seed }),
    km.layers.flatten(),
    km.layers.dense({ units: 2 }),
  ]);
  const y = km.tensor(draw(n * 2), [n, 2]);

  it('predict and evaluate pass images through exactly', async () => {
    const alone = km.sequential([km.layers.randomRotation({ factor: 0.5, inputShape: [h, w, c] }), km.layers.randomTranslation({ heightFactor: 1, widthFactor: 1 }), km.layers.randomZoom({ heightFactor: 0.9 })]);
    expect(values(alone.predict(x))).toEqual(images);
    alone.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(await alone.evaluate(x, x, { verbose: 0 })).toEqual([0]);
  });

  it('training with the same seeds is bit-identical; other seeds differ', async () => {
    const trained = async (seed: number) => {
      km.utils.setRandomSeed(3);
      const m = model(seed);
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      await m.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
      return m.getWeights().flatMap(values);
    };
    const first = await trained(21);
    expect(await trained(21)).toEqual(first);
    expect(await trained(22)).not.toEqual(first);
  });

  it('passes the gradient through the sampling to a trainable layer before it (finite differences)', async () => {
    const [k, size] = [3, 4 * 5 * 2];
    const t: ImageTransform = { batch: 2, height: 4, width: 5, channels: 2, interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0 };
    const inputs = draw(2 * k);
    const targets = draw(2 * size);
    const m = km.sequential([
      km.layers.dense({ units: size, inputShape: [k] }),
      km.layers.reshape({ targetShape: [4, 5, 2] }),
      km.layers.randomRotation({ factor: 0.3, seed: 8 }),
      km.layers.flatten(),
    ]);
    const r = new Random(8);
    const transforms = [0, 1].flatMap(() => rotation(2 * Math.PI * r.uniform(-0.3, 0.3), 4, 5));
    await expectDenseFirstGradients(m, inputs, targets, 2, (hidden) => refTransform(hidden, transforms, t));
  });

  it('saves and loads with Keras 3 config names, predicting the same', async () => {
    const m = model(7);
    const artifacts = await kerasmArtifacts(m);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const saved = Object.fromEntries(layers.map((l) => [l.class_name, l.config]));
    expect(saved.RandomTranslation).toMatchObject({ height_factor: 0.2, width_factor: 0.2, fill_mode: 'reflect', interpolation: 'bilinear', seed: 7, fill_value: 0, data_format: 'channels_last' });
    expect(saved.RandomRotation).toMatchObject({ factor: 0.1, fill_mode: 'reflect', interpolation: 'bilinear', seed: 7, fill_value: 0 });
    expect(saved.RandomZoom).toMatchObject({ height_factor: 0.2, width_factor: null, fill_mode: 'reflect' });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
    expect(values(reloaded.predict(x))).toEqual(values(m.predict(x)));
  });
});

describe('bad options get clear errors', () => {
  it.each([
    [() => km.layers.randomTranslation({ heightFactor: 1.5, widthFactor: 0.1 }), /heightFactor must be a number or a \[lower, upper\] pair of numbers in \[-1, 1\].*Received: heightFactor=1.5/],
    [() => km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: [0.1, 0.2, 0.3] as unknown as [number, number] }), /widthFactor must be .*Received: widthFactor=\[0.1,0.2,0.3\]/],
    [() => km.layers.randomRotation({ factor: -2 }), /factor must be .*Received: factor=-2/],
    [() => km.layers.randomZoom({ heightFactor: 0.1, widthFactor: [0, 1.2] }), /widthFactor must be .*Received: widthFactor=\[0,1.2\]/],
    [() => km.layers.randomRotation({ factor: 0.1, fillMode: 'mirror' as 'wrap' }), /fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest'. Received: fillMode="mirror"/],
    [() => km.layers.randomZoom({ heightFactor: 0.1, interpolation: 'bicubic' as 'nearest' }), /interpolation must be 'bilinear' or 'nearest'. Received: interpolation="bicubic"/],
    [() => km.layers.randomRotation({ factor: 0.1, seed: 1.5 }), /seed must be an integer or null. Received: seed=1.5/],
    [() => km.layers.randomRotation({ factor: 0.1, fillValue: Number.NaN }), /fillValue must be a finite number/],
    [() => km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, dataFormat: 'channelsFirst' as 'channelsLast' }), /only dataFormat 'channelsLast'/],
    [() => km.layers.randomRotation({ factor: 0.1, fill_mode: 'wrap' } as unknown as { factor: number }), /has no option 'fill_mode'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses inputs that are not images', () => {
    expect(() => km.sequential([km.layers.randomZoom({ heightFactor: 0.1, inputShape: [28, 28] })])).toThrow(/RandomZoom layer .* expects inputs of shape \(None, height, width, channels\), but received/);
  });
});
