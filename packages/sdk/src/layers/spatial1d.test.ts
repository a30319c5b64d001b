import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { conv2d, finiteDifferences, globalPool, upSample, zeroPad, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

// A sequence [steps, channels] as a float64 image of height 1, for the reference ops.
const along = (kernel: number, padding: 'valid' | 'same'): WindowSpec => ({ kernel: [1, kernel], strides: [1, 1], dilation: [1, 1], padding });

function cropSteps(x: Image, start: number, end: number): Image {
  const w = x.w - start - end;
  return { h: 1, w, c: x.c, data: x.data.slice(start * x.c, (start + w) * x.c) };
}

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

describe('ZeroPadding1D, UpSampling1D and Cropping1D', () => {
  it.each([
    { steps: 6, padding: [2, 1] as [number, number], size: 3, cropping: [1, 2] as [number, number] },
    { steps: 5, padding: [0, 3] as [number, number], size: 1, cropping: [4, 0] as [number, number] },
  ])('forward and gradients against float64 finite differences: steps $steps, padding $padding, size $size, cropping $cropping', async (c) => {
    const random = new Random(6);
    km.utils.setRandomSeed(9);
    const [batch, channels] = [3, 2];
    const model = km.sequential([
      km.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh', inputShape: [c.steps, channels], biasInitializer: 'glorotUniform' }),
      km.layers.zeroPadding1d({ padding: c.padding }),
      km.layers.upSampling1d({ size: c.size }),
      km.layers.cropping1D({ cropping: c.cropping }),
      km.layers.conv1d({ filters: 2, kernelSize: 2, biasInitializer: 'glorotUniform' }),
      km.layers.globalAveragePooling1d(),
    ]);
    const xs = Array.from({ length: batch }, () => Array.from({ length: c.steps * channels }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: number[]): number[] => {
      const h1 = conv2d({ h: 1, w: c.steps, c: channels, data: x }, weights[0], weights[1], along(3, 'same'));
      const padded = zeroPad({ ...h1, data: h1.data.map(Math.tanh) }, [[0, 0], c.padding]);
      const cropped = cropSteps(upSample(padded, [1, c.size]), ...c.cropping);
      return globalPool(conv2d(cropped, weights[2], weights[3], along(2, 'valid')), 'avg');
    };
    const x = km.tensor(xs.flat(), [batch, c.steps, channels]);
    const y = km.tensor(ys.flat(), [batch, 2]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });

  it("takes Keras' defaults and spellings, writes Keras' configs, and survives a save and load", async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([
      km.layers.zeroPadding1d({ inputShape: [7, 3] }), km.layers.cropping1D(), km.layers.upSampling1d(),
      km.layers.zeroPadding1d({ padding: 2 }), km.layers.cropping1D({ cropping: 3 }), km.layers.conv1d({ filters: 2, kernelSize: 3 }),
    ]);
    // 7 → pad 1+1 → 9 → crop 1+1 → 7 → ×2 → 14 → pad 2+2 → 18 → crop 3+3 → 12 → conv k3 → 10.
    expect(model.outputs[0].shape).toEqual([10, 2]);
    expect(model.layers.slice(0, 5).map((l) => l.getConfig())).toMatchObject([{ padding: [1, 1] }, { cropping: [1, 1] }, { size: 2 }, { padding: [2, 2] }, { cropping: [3, 3] }]);
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
    const classes = (saved!.modelTopology as { config: { layers: { class_name: string }[] } }).config.layers.map((l) => l.class_name);
    expect(classes.slice(0, 5)).toEqual(['ZeroPadding1D', 'Cropping1D', 'UpSampling1D', 'ZeroPadding1D', 'Cropping1D']);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    const x = km.tensor(Float32Array.from({ length: 2 * 7 * 3 }, (_, i) => Math.cos(i)), [2, 7, 3]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('bad input gets a clear error', () => {
    expect(() => km.layers.zeroPadding1d({ name: 'p', padding: -1 })).toThrow("ZeroPadding1D layer 'p': padding must be a non-negative integer or [start, end]. Received: padding=-1.");
    expect(() => km.layers.cropping1D({ name: 'c', cropping: [1, 2, 3] as unknown as [number, number] })).toThrow("Cropping1D layer 'c': cropping must be a non-negative integer or [start, end]. Received: cropping=[1,2,3].");
    expect(() => km.layers.upSampling1d({ name: 'u', size: 0 })).toThrow("UpSampling1D layer 'u': size must be a positive integer. Received: size=0.");
    expect(() => km.sequential([km.layers.cropping1D({ name: 'c2', cropping: [3, 2], inputShape: [5, 1] })])).toThrow("Cropping1D layer 'c2' crops");
    expect(() => km.sequential([km.layers.upSampling1d({ name: 'u2', inputShape: [4, 4, 1] })])).toThrow("UpSampling1D layer 'u2' expects inputs of shape (None, steps, channels)");
    expect(() => km.layers.zeroPadding1d({ pading: 1 } as unknown as km.layers.ZeroPadding1DArgs)).toThrow("km.layers.zeroPadding1d has no option 'pading'; did you mean 'padding'?");
  });
});
