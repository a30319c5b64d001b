import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { dense, finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { globalGenerator, Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const unitNormal = (n: number, seed: number) => {
  const random = new Random(seed);
  return Float32Array.from({ length: n }, () => random.normal());
};
const stats = (v: ArrayLike<number>) => {
  const a = Array.from(v);
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  return { mean, variance: a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length };
};

describe('noise layers: identity at inference, the noise they promise while training', () => {
  const n = 20000;
  const x = unitNormal(n, 5);
  const layers = () => [
    km.layers.gaussianNoise({ stddev: 0.3 }), km.layers.gaussianDropout({ rate: 0.2 }), km.layers.alphaDropout({ rate: 0.1 }), km.layers.spatialDropout1d({ rate: 0.3 }),
  ];

  it('pass inputs through unchanged at inference', () => {
    for (const layer of layers()) expect(Array.from(layer.apply(km.tensor(x, [4, 50, 100])).dataSync())).toEqual(Array.from(x));
  });

  it('GaussianNoise adds noise of mean 0 and the given stddev; the same seed gives the same draw', () => {
    km.utils.setRandomSeed(1);
    const layer = km.layers.gaussianNoise({ stddev: 0.3 });
    const y = layer.apply(km.tensor(x, [n, 1]), { training: true }).dataSync();
    const noise = stats(Array.from(y, (v, i) => v - x[i]));
    // Bounds of 5 standard errors: 0.3/√n ≈ 0.0021 for the mean, 0.09·√(2/n) ≈ 0.0009 for the variance.
    expect(Math.abs(noise.mean)).toBeLessThan(0.011);
    expect(Math.abs(noise.variance - 0.09)).toBeLessThan(0.0045);
    km.utils.setRandomSeed(1);
    expect(Array.from(layer.apply(km.tensor(x, [n, 1]), { training: true }).dataSync())).toEqual(Array.from(y));
  });

  it("each takes Keras 3's seed: its own noise, the same whatever the global generator, saved only when given", () => {
    const seeded = () => [km.layers.gaussianNoise({ stddev: 0.3, seed: 4 }), km.layers.gaussianDropout({ rate: 0.2, seed: 4 }), km.layers.alphaDropout({ rate: 0.1, seed: 4 })];
    const draw = (layer: km.layers.Layer, globalSeed: number) => {
      km.utils.setRandomSeed(globalSeed);
      return Array.from(layer.apply(km.tensor(x.subarray(0, 300), [3, 100]), { training: true }).dataSync());
    };
    seeded().forEach((layer, i) => {
      expect(draw(layer, 1)).not.toEqual(draw(layer, 1));
      expect(draw(seeded()[i], 1)).toEqual(draw(seeded()[i], 2));
      expect(layer.getConfig()).toMatchObject({ seed: 4 });
    });
    expect(km.layers.gaussianNoise({ stddev: 0.3 }).getConfig()).not.toHaveProperty('seed');
    expect(() => km.layers.alphaDropout({ rate: 0.1, name: 'a', seed: 0.5 })).toThrow("AlphaDropout layer 'a': seed must be an integer or null. Received: seed=0.5.");
  });

  it('GaussianDropout multiplies by noise of mean 1 and variance rate/(1 − rate)', () => {
    const ones = new Float32Array(n).fill(1);
    const y = km.layers.gaussianDropout({ rate: 0.2 }).apply(km.tensor(ones, [n, 1]), { training: true }).dataSync();
    const s = stats(y);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.018);
    expect(Math.abs(s.variance - 0.25)).toBeLessThan(0.013);
  });

  it('AlphaDropout keeps the mean and variance of a unit normal input and drops about rate of it', () => {
    const y = km.layers.alphaDropout({ rate: 0.1 }).apply(km.tensor(x, [n, 1]), { training: true }).dataSync();
    const s = stats(y);
    expect(Math.abs(s.mean)).toBeLessThan(0.04);
    expect(Math.abs(s.variance - 1)).toBeLessThan(0.05);
    // Dropped inputs all land on one value, a·α' + b.
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = (0.9 * (1 + 0.1 * alphaP ** 2)) ** -0.5;
    const dropped = Array.from(y).filter((v) => Math.abs(v - (a * alphaP - a * alphaP * 0.1)) < 1e-5).length / n;
    expect(Math.abs(dropped - 0.1)).toBeLessThan(0.012);
  });

  it('SpatialDropout1D drops whole channels of a sample, at every step, and scales the rest', () => {
    const [batch, steps, channels] = [40, 25, 20];
    const ones = new Float32Array(batch * steps * channels).fill(1);
    const y = km.layers.spatialDropout1d({ rate: 0.3 }).apply(km.tensor(ones, [batch, steps, channels]), { training: true }).arraySync() as number[][][];
    let droppedChannels = 0;
    for (const sample of y) {
      for (let c = 0; c < channels; c++) {
        const column = sample.map((row) => row[c]);
        expect(new Set(column).size).toBe(1);
        if (column[0] === 0) droppedChannels++;
        else expect(column[0]).toBeCloseTo(1 / 0.7, 5);
      }
    }
    expect(Math.abs(droppedChannels / (batch * channels) - 0.3)).toBeLessThan(0.08);
  });

  it.each([
    ['gaussianNoise', () => km.layers.gaussianNoise({ stddev: 0.5 })],
    ['gaussianDropout', () => km.layers.gaussianDropout({ rate: 0.3 })],
    ['alphaDropout', () => km.layers.alphaDropout({ rate: 0.2 })],
  ] as const)('%s: gradients by finite differences with the random draw held fixed', async (_, makeLayer) => {
    km.utils.setRandomSeed(6);
    const [features, units, batch] = [3, 8, 4];
    const layer = makeLayer();
    const model = km.sequential([km.layers.dense({ units, inputShape: [features], activation: 'tanh', biasInitializer: 'glorotUniform' }), layer]);
    const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const random = new Random(9);
    const xs = Array.from({ length: batch }, () => Array.from({ length: features }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: batch }, () => Array.from({ length: units }, () => random.uniform(-1, 1)));
    // The draw fit makes: its shuffle seed comes first from the generator, then the layer's.
    const h = xs.map((x) => dense(x, kernel, bias).map(Math.tanh));
    km.utils.setRandomSeed(21);
    globalGenerator().next();
    const probeIn = km.tensor(h.flat(), [batch, units]);
    const probeOut = Array.from(layer.apply(probeIn, { training: true }).dataSync());
    // Each layer is affine per element while training: y = m·h + c; recover m and c from a second input.
    km.utils.setRandomSeed(21);
    globalGenerator().next();
    const shifted = Array.from(layer.apply(km.tensor(h.flat().map((v) => v + 1), [batch, units]), { training: true }).dataSync());
    const m = shifted.map((v, i) => v - probeOut[i]);
    const c = probeOut.map((v, i) => v - m[i] * h.flat()[i]);
    const weights = [kernel, bias];
    const loss = () => xs.reduce((s, x, r) => {
      const out = dense(x, weights[0], weights[1]).map(Math.tanh).map((v, j) => m[r * units + j] * v + c[r * units + j]);
      return s + out.reduce((t, v, j) => t + (v - ys[r][j]) ** 2, 0) / units;
    }, 0) / batch;
    const expected = finiteDifferences(weights, loss);
    km.utils.setRandomSeed(21);
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', km.tensor(xs.flat(), [batch, features]), km.tensor(ys.flat(), [batch, units])), expected, ['kernel', 'bias'], 5e-3);
    expect(m.some((v) => Math.abs(v - 1) > 1e-3) || c.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });

  it('rejects rates outside [0, 1), a negative stddev and a noiseShape, naming the value', () => {
    expect(() => km.layers.gaussianDropout({ rate: 1 })).toThrow(/GaussianDropout layer '.*': rate must be a number in \[0, 1\)\. Received: rate=1\./);
    expect(() => km.layers.alphaDropout({ rate: -0.1 })).toThrow(/AlphaDropout layer '.*': rate must be a number in \[0, 1\)\. Received: rate=-0\.1\./);
    expect(() => km.layers.spatialDropout1d({ rate: 1.5 })).toThrow(/SpatialDropout1D layer '.*': rate must be a number in \[0, 1\)\. Received: rate=1\.5\./);
    expect(() => km.layers.gaussianNoise({ stddev: -1 })).toThrow(/stddev must be a finite number ≥ 0\. Received: stddev=-1\./);
    expect(() => km.layers.alphaDropout({ rate: 0.1, noiseShape: [1, 2] as unknown as null })).toThrow(/noiseShape is not supported.*Received: noiseShape=\[1,2\]/);
    expect(() => km.layers.spatialDropout1d({ rate: 0.1 }).apply(km.input({ shape: [4] }))).toThrow(/expects inputs of shape \(None, steps, channels\), but received \(None, 4\)/);
  });

  it('save and load in the LayersModel format, both directions with tfjs', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6, 4],
      kerasm: () => [
        km.layers.gaussianNoise({ stddev: 0.2, inputShape: [6, 4] }), km.layers.spatialDropout1d({ rate: 0.25 }), km.layers.flatten(),
        km.layers.gaussianDropout({ rate: 0.3 }), km.layers.alphaDropout({ rate: 0.1 }), km.layers.dense({ units: 3 }),
      ],
      tfjs: () => [
        tfl.layers.gaussianNoise({ stddev: 0.2, inputShape: [6, 4] }), tfl.layers.spatialDropout1d({ rate: 0.25 }), tfl.layers.flatten(),
        tfl.layers.gaussianDropout({ rate: 0.3 }), tfl.layers.alphaDropout({ rate: 0.1 }), tfl.layers.dense({ units: 3 }),
      ],
    });
  });
});
