import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { ImageTransform } from '../backend/backend.js';
import { expectClose } from '../testing/expect_close.js';
import { expectFillsRange } from '../testing/expect_spread.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { refTransform } from '../testing/transform_reference.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';
import { homography } from './homography.js';
import { RandomPerspective } from './random_perspective.js';
import { RandomShear } from './random_shear.js';

// Keras 3's RandomShear and RandomPerspective: training outputs against the float64 sampling of
// transforms rebuilt here from Keras' formulas and the layer's seed (wasm and tfjs-cpu), the drawn
// parameters' ranges, the homography against the corners it must map, inference pass-through,
// a gradient, config round trip and errors.
beforeAll(() => km.ready());

const random = new Random(6);
const draw = (n: number) => Array.from({ length: n }, () => Math.fround(random.uniform(-2, 2)));
const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [6, 7, 6, 2];
const images = draw(n * h * w * c);
const transformOf = (fillMode: ImageTransform['fillMode'], interpolation: ImageTransform['interpolation'], fillValue = 0): ImageTransform =>
  ({ batch: n, height: h, width: w, channels: c, fillMode, interpolation, fillValue });

/** Keras' shear draws for one image: the sign (−1 when a uniform exceeds 0.5), sy, then sx; matrix [[1, sx, 0], [sy, 1, 0]]. */
function kerasShear(r: Random, x: [number, number], y: [number, number]): number[] {
  const sign = r.next() > 0.5 ? -1 : 1;
  const sy = r.uniform(...y) * sign;
  return [1, r.uniform(...x) * sign, 0, sy, 1, 0, 0, 0];
}

/** Keras' perspective draws for one image: probability, threshold, then (dx, dy) per corner; the corners move to c·(1 + d). */
function perspectiveDraw(r: Random, factor: [number, number], scale: number, height: number, width: number): { applies: boolean; start: [number, number][]; end: [number, number][] } {
  const probability = r.uniform(...factor);
  const applies = r.next() < probability;
  const start: [number, number][] = [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]];
  const end = start.map(([x, y]) => [x * (1 + r.uniform(-scale / 2, scale / 2)), y * (1 + r.uniform(-scale / 2, scale / 2))] as [number, number]);
  return { applies, start, end };
}

/** Where transform t sends point (x, y): output pixel (x, y) reads the input there. */
function mapPoint(t: readonly number[], x: number, y: number): [number, number] {
  const k = t[6] * x + t[7] * y + 1;
  return [(t[0] * x + t[1] * y + t[2]) / k, (t[3] * x + t[4] * y + t[5]) / k];
}

/** The inverse of transform t, as 8 numbers (the 3×3 adjugate, normalised to a last entry of 1). */
function invert(t: readonly number[]): number[] {
  const [a, b, cc, d, e, f, g, hh] = t;
  const i = 1;
  const m = [e * i - f * hh, cc * hh - b * i, b * f - cc * e, f * g - d * i, a * i - cc * g, cc * d - a * f, d * hh - e * g, b * g - a * hh, a * e - b * d];
  return m.slice(0, 8).map((v) => v / m[8]);
}

async function onBackends(run: () => void): Promise<void> {
  for (const name of ['wasm', 'tfjs-cpu'] as const) {
    await km.setBackend(name);
    try {
      run();
    } finally {
      await km.setBackend('wasm');
    }
  }
}

describe('RandomShear', () => {
  it('training samples each image through Keras\' shear matrix drawn from the seed (wasm, tfjs-cpu)', async () => {
    await onBackends(() => {
      const x = km.tensor(images, [n, h, w, c]);
      const layer = km.layers.randomShear({ xFactor: [0.1, 0.6], yFactor: 0.4, fillMode: 'constant', fillValue: 0.5, seed: 31 });
      const r = new Random(31);
      const transforms = Array.from({ length: n }, () => kerasShear(r, [0.1, 0.6], [-0.4, 0.4])).flat();
      expectClose(values(layer.apply(x, { training: true }) as km.Tensor), refTransform(images, transforms, transformOf('constant', 'bilinear', 0.5)), 1e-5);
      const nearest = km.layers.randomShear({ xFactor: 0.8, interpolation: 'nearest', seed: 32 });
      const r2 = new Random(32);
      const t2 = Array.from({ length: n }, () => kerasShear(r2, [-0.8, 0.8], [-0, 0])).flat();
      expectClose(values(nearest.apply(x, { training: true }) as km.Tensor), refTransform(images, t2, transformOf('reflect', 'nearest')), 1e-5);
    });
  });

  class ShearProbe extends RandomShear {
    sample(r: Random): number[] {
      return this.drawTransform(r);
    }
  }

  it('draws |sx| and |sy| from their ranges with one random sign per image, the rest of the matrix the identity', () => {
    const probe = new ShearProbe({ xFactor: [0.3, 0.1], yFactor: [0.2, 0.5] });
    const r = new Random(3);
    const draws = Array.from({ length: 2000 }, () => probe.sample(r));
    expectFillsRange(draws.map((t) => Math.abs(t[1])), 0.1, 0.3);
    expectFillsRange(draws.map((t) => Math.abs(t[3])), 0.2, 0.5);
    expect(draws.every((t) => Math.sign(t[1]) === Math.sign(t[3]))).toBe(true);
    const negative = draws.filter((t) => t[1] < 0).length / draws.length;
    expect(negative).toBeGreaterThan(0.45);
    expect(negative).toBeLessThan(0.55);
    expect(draws.every((t) => [t[0], t[2], t[4], t[5], t[6], t[7]].join() === '1,0,1,0,0,0')).toBe(true);
    const symmetric = new ShearProbe({ xFactor: 0.25 });
    const xs = Array.from({ length: 2000 }, () => symmetric.sample(r));
    expectFillsRange(xs.map((t) => t[1]), -0.25, 0.25);
    expect(xs.every((t) => t[3] === 0)).toBe(true);
  });

  it('with Keras\' defaults (no shear) and in predict, images pass through exactly', () => {
    const x = km.tensor(images, [n, h, w, c]);
    expect(values(km.layers.randomShear().apply(x, { training: true }) as km.Tensor)).toEqual(images);
    const m = km.sequential([km.layers.randomShear({ xFactor: 1, yFactor: 1, inputShape: [h, w, c] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
  });
});

describe('RandomPerspective', () => {
  it('the homography takes the moved corners onto the original ones (so it is the one: four points fix it)', () => {
    const start: [number, number][] = [[0, 0], [9, 0], [0, 6], [9, 6]];
    const end: [number, number][] = [[0, 0], [11.5, 0], [0, 4.2], [7.3, 8.1]];
    const t = homography(start, end)!;
    end.forEach(([x, y], i) => expectClose(mapPoint(t, x, y), start[i], 1e-12));
    // Moving every corner by the same factor is a zoom: the matrix is diag(1 / factor).
    expectClose(homography(start, start.map(([x, y]) => [1.25 * x, 1.25 * y]))!, [0.8, 0, 0, 0, 0.8, 0, 0, 0], 1e-12);
    // One pixel wide: no homography; the layer leaves such an image as it is.
    expect(homography([[0, 0], [0, 0], [0, 3], [0, 3]], [[0, 0], [0, 0], [0, 3.5], [0, 2]])).toBeNull();
  });

  it('training samples the chosen images through the homography of corners drawn from the seed, others pass through (wasm, tfjs-cpu)', async () => {
    await onBackends(() => {
      const x = km.tensor(images, [n, h, w, c]);
      const layer = km.layers.randomPerspective({ factor: [0.4, 0.9], scale: 0.6, fillValue: -1, seed: 41 });
      const r = new Random(41);
      const drawn = Array.from({ length: n }, () => perspectiveDraw(r, [0.4, 0.9], 0.6, h, w));
      expect(new Set(drawn.map((d) => d.applies)).size).toBe(2);
      const transforms = drawn.flatMap((d) => (d.applies ? homography(d.start, d.end)! : [1, 0, 0, 0, 1, 0, 0, 0]));
      const y = values(layer.apply(x, { training: true }) as km.Tensor);
      expectClose(y, refTransform(images, transforms, transformOf('constant', 'bilinear', -1)), 1e-5);
      const size = h * w * c;
      drawn.forEach((d, b) => {
        if (!d.applies) expect(y.slice(b * size, (b + 1) * size)).toEqual(images.slice(b * size, (b + 1) * size));
      });
      const nearest = km.layers.randomPerspective({ factor: [1, 1], scale: 0.3, interpolation: 'nearest', seed: 42 });
      const r2 = new Random(42);
      const t2 = Array.from({ length: n }, () => {
        const d = perspectiveDraw(r2, [1, 1], 0.3, h, w);
        return homography(d.start, d.end)!;
      }).flat();
      expectClose(values(nearest.apply(x, { training: true }) as km.Tensor), refTransform(images, t2, transformOf('constant', 'nearest')), 1e-5);
    });
  });

  class PerspectiveProbe extends RandomPerspective {
    sample(r: Random): number[] {
      return this.drawTransform(r, 11, 21);
    }
  }
  const identity = (t: number[]) => t.join() === '1,0,0,0,1,0,0,0';

  it('moves each corner coordinate by up to ±scale/2 of itself, the top-left corner staying put', () => {
    const probe = new PerspectiveProbe({ factor: [1, 1], scale: 0.5 });
    const r = new Random(4);
    const corners = Array.from({ length: 1500 }, () => {
      const t = probe.sample(r);
      expect(identity(t)).toBe(false);
      // The transform reads the input's corners at the moved ones; its inverse gives the moved corners.
      return [[0, 0], [20, 0], [0, 10], [20, 10]].map(([x, y]) => mapPoint(invert(t), x, y));
    });
    for (const [k, [x0, y0]] of [[0, 0], [20, 0], [0, 10], [20, 10]].entries()) {
      if (x0 === 0) expect(corners.every((p) => Math.abs(p[k][0]) < 1e-9)).toBe(true);
      else expectFillsRange(corners.map((p) => p[k][0] / x0 - 1), -0.25 - 1e-9, 0.25 + 1e-9);
      if (y0 === 0) expect(corners.every((p) => Math.abs(p[k][1]) < 1e-9)).toBe(true);
      else expectFillsRange(corners.map((p) => p[k][1] / y0 - 1), -0.25 - 1e-9, 0.25 + 1e-9);
    }
  });

  it("transforms an image with a probability drawn from Keras' factor range: [0, f] for a number f", () => {
    const r = new Random(5);
    const share = (args: ConstructorParameters<typeof RandomPerspective>[0]) => {
      const probe = new PerspectiveProbe(args);
      return Array.from({ length: 4000 }, () => probe.sample(r)).filter((t) => !identity(t)).length / 4000;
    };
    expect(share({})).toBeCloseTo(0.5, 1);
    expect(share({ factor: 0.4 })).toBeCloseTo(0.2, 1);
    expect(share({ factor: [0.7, 0.9] })).toBeCloseTo(0.8, 1);
    expect(share({ factor: [1, 1] })).toBe(1);
    expect(share({ factor: 0 })).toBe(0);
  });

  it('in predict, and with factor 0 in training, images pass through exactly', () => {
    const x = km.tensor(images, [n, h, w, c]);
    expect(values(km.layers.randomPerspective({ factor: 0 }).apply(x, { training: true }) as km.Tensor)).toEqual(images);
    const m = km.sequential([km.layers.randomPerspective({ factor: [1, 1], inputShape: [h, w, c] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
  });

  it('passes the gradient through the projective sampling to a trainable layer before it (finite differences)', async () => {
    const [k, size] = [3, 4 * 5 * 2];
    const t: ImageTransform = { batch: 2, height: 4, width: 5, channels: 2, interpolation: 'bilinear', fillMode: 'constant', fillValue: 0 };
    const m = km.sequential([
      km.layers.dense({ units: size, inputShape: [k] }),
      km.layers.reshape({ targetShape: [4, 5, 2] }),
      km.layers.randomPerspective({ factor: [1, 1], scale: 0.4, seed: 9 }),
      km.layers.flatten(),
    ]);
    const r = new Random(9);
    const transforms = [0, 1].flatMap(() => {
      const d = perspectiveDraw(r, [1, 1], 0.4, 4, 5);
      return homography(d.start, d.end)!;
    });
    await expectDenseFirstGradients(m, draw(2 * k), draw(2 * size), 2, (hidden) => refTransform(hidden, transforms, t));
  });
});

describe('saving, loading and options', () => {
  it("saves Keras 3's config (factor ranges, snake_case) and loads it back, predicting and training the same", async () => {
    const m = km.sequential([
      km.layers.randomShear({ xFactor: 0.2, yFactor: [0.3, 0.1], fillMode: 'wrap', seed: 7, inputShape: [h, w, c] }),
      km.layers.randomPerspective({ factor: 0.5, scale: 0.3, interpolation: 'nearest', fillValue: 2, seed: 8 }),
    ]);
    const artifacts = await kerasmArtifacts(m);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const saved = Object.fromEntries(layers.map((l) => [l.class_name, l.config]));
    expect(saved.RandomShear).toMatchObject({ x_factor: [-0.2, 0.2], y_factor: [0.1, 0.3], fill_mode: 'wrap', interpolation: 'bilinear', fill_value: 0, seed: 7, data_format: 'channels_last' });
    expect(saved.RandomPerspective).toMatchObject({ factor: [0, 0.5], scale: 0.3, interpolation: 'nearest', fill_value: 2, seed: 8 });
    expect(saved.RandomPerspective).not.toHaveProperty('fill_mode');
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
    const x = km.tensor(images, [n, h, w, c]);
    expect(values(reloaded.predict(x) as km.Tensor)).toEqual(images);
    expect(values(reloaded.apply(x, { training: true }) as km.Tensor)).toEqual(values(m.apply(x, { training: true }) as km.Tensor));
  });

  it('reads the configs Keras 3 writes', () => {
    const shear = km.layers.layerFromConfig('RandomShear', { name: 's', trainable: true, x_factor: [-0.3, 0.3], y_factor: [0, 0.2], fill_mode: 'nearest', interpolation: 'bilinear', seed: null, fill_value: 0, data_format: 'channels_last' }) as RandomShear;
    expect([shear.xFactor, shear.yFactor, shear.fillMode]).toEqual([[-0.3, 0.3], [0, 0.2], 'nearest']);
    const perspective = km.layers.layerFromConfig('RandomPerspective', { name: 'p', factor: [0, 1], scale: 1, interpolation: 'bilinear', fill_value: 0, seed: 3 }) as RandomPerspective;
    expect([perspective.factor, perspective.scale, perspective.seed]).toEqual([[0, 1], 1, 3]);
    expect(() => km.layers.layerFromConfig('RandomPerspective', { fill_mode: 'reflect' })).toThrow(/RandomPerspective has no use for the config key 'fill_mode'/);
  });

  it.each([
    [() => km.layers.randomShear({ xFactor: 1.5 }), /RandomShear layer .*: xFactor must be a number in \[0, 1\] or a \[lower, upper\] pair of numbers in \[0, 1\].*Received: xFactor=1.5/],
    [() => km.layers.randomShear({ yFactor: [-0.1, 0.2] }), /yFactor must be .*e.g. yFactor: 0.2 or yFactor: \[0.1, 0.3\]. Received: yFactor=\[-0.1,0.2\]/],
    [() => km.layers.randomShear({ xFactor: -0.2 }), /xFactor must be .*Received: xFactor=-0.2/],
    [() => km.layers.randomShear({ xFactor: 0.1, fillMode: 'mirror' as 'wrap' }), /fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest'/],
    [() => km.layers.randomShear({ x_factor: 0.1 } as unknown as { xFactor: number }), /has no option 'x_factor'/],
    [() => km.layers.randomPerspective({ factor: 1.2 }), /RandomPerspective layer .*: factor must be a number in \[0, 1\] or a \[lower, upper\] pair.*Received: factor=1.2/],
    [() => km.layers.randomPerspective({ factor: [0.2, -0.1] }), /factor must be .*Received: factor=\[0.2,-0.1\]/],
    [() => km.layers.randomPerspective({ scale: 1.5 }), /scale must be a number in \[0, 1\].*e.g. scale: 0.3. Received: scale=1.5/],
    [() => km.layers.randomPerspective({ interpolation: 'bicubic' as 'nearest' }), /interpolation must be 'bilinear' or 'nearest'/],
    [() => km.layers.randomPerspective({ fillMode: 'reflect' } as unknown as { factor: number }), /km.layers.randomPerspective has no option 'fillMode'/],
    [() => km.layers.randomPerspective({ seed: 0.5 }), /seed must be an integer or null/],
  ])('rejects bad options, naming the problem and the fix (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});
