import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { dense, finiteDifferences } from '../testing/reference_ops.js';
import { refPermute } from '../testing/shape_reference.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Factory = (args: km.layers.SpatialDropoutArgs) => km.layers.Layer;
const spatial: [string, Factory, number[]][] = [
  ['SpatialDropout2D', km.layers.spatialDropout2d, [5, 6]],
  ['SpatialDropout3D', km.layers.spatialDropout3d, [3, 4, 5]],
];

/** Each (sample, channel)'s values of a channels-last or channels-first batch. */
function featureMaps(y: Float32Array, batch: number, positions: number, channels: number, channelsFirst: boolean): number[][] {
  const maps: number[][] = [];
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      maps.push(Array.from({ length: positions }, (_, p) => y[b * positions * channels + (channelsFirst ? c * positions + p : p * channels + c)]));
    }
  }
  return maps;
}

describe('SpatialDropout2D and SpatialDropout3D', () => {
  it.each(spatial.flatMap(([name, make, space]) => (['channelsLast', 'channelsFirst'] as const).map((format) => [name, make, space, format] as const)))(
    '%s (%s) drops whole feature maps, about rate of them, scales the rest by 1/(1 − rate), and passes inputs through at inference',
    (_name, make, space, dataFormat) => {
      const [batch, channels, rate] = [40, 12, 0.3];
      const positions = space.reduce((a, b) => a * b, 1);
      const shape = dataFormat === 'channelsLast' ? [batch, ...space, channels] : [batch, channels, ...space];
      const ones = new Float32Array(batch * positions * channels).fill(1);
      const layer = make({ rate, dataFormat });
      const y = layer.apply(km.tensor(ones, shape), { training: true }).dataSync() as Float32Array;
      const maps = featureMaps(y, batch, positions, channels, dataFormat === 'channelsFirst');
      let dropped = 0;
      for (const map of maps) {
        // Every value of a map is the map's first value: 0 (dropped) or 1/(1 − rate) (kept).
        expect(map.every((v) => v === map[0])).toBe(true);
        if (map[0] === 0) dropped++;
        else expect(map[0]).toBeCloseTo(1 / (1 - rate), 5);
      }
      // 480 maps: 5 standard deviations of the fraction dropped is 0.105.
      expect(Math.abs(dropped / maps.length - rate)).toBeLessThan(0.105);
      expect(dropped).toBeGreaterThan(0);
      const x = Float32Array.from({ length: ones.length }, (_, i) => Math.sin(i));
      expect(Array.from(layer.apply(km.tensor(x, shape)).dataSync())).toEqual(Array.from(x));
    },
  );

  it('channelsFirst drops the same maps as channelsLast on the transposed input, for the same seed', () => {
    const [batch, h, w, channels] = [6, 3, 4, 5];
    const random = new Random(3);
    const x = Array.from({ length: batch * h * w * channels }, () => random.uniform(-1, 1));
    const last = km.layers.spatialDropout2d({ rate: 0.5, seed: 17 }).apply(km.tensor(x, [batch, h, w, channels]), { training: true }).dataSync();
    const size = h * w * channels;
    // Channels last to channels first, sample by sample.
    const toFirst = (v: number[]) => Array.from({ length: batch }, (_, b) => refPermute(v.slice(b * size, (b + 1) * size), [h, w, channels], [3, 1, 2])).flat();
    const xFirst = toFirst(x);
    const first = km.layers.spatialDropout2d({ rate: 0.5, seed: 17, dataFormat: 'channelsFirst' }).apply(km.tensor(xFirst, [batch, channels, h, w]), { training: true }).dataSync();
    expect(Array.from(first)).toEqual(toFirst(Array.from(last)));
    expect(Array.from(last).some((v) => v === 0)).toBe(true);
  });

  it('the same seed draws the same masks; another seed other ones', () => {
    const x = km.tensor(new Float32Array(8 * 2 * 2 * 16).fill(1), [8, 2, 2, 16]);
    const draw = (seed: number) => Array.from(km.layers.spatialDropout2d({ rate: 0.5, seed }).apply(x, { training: true }).dataSync());
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it.each(['channelsLast', 'channelsFirst'] as const)('the gradient through SpatialDropout2D (%s) is dy times the mask the forward pass drew, against finite differences', async (dataFormat) => {
    const [features, batch, seed] = [3, 4, 23];
    const sample = dataFormat === 'channelsLast' ? [2, 3, 4] : [4, 2, 3];
    const units = sample.reduce((a, b) => a * b, 1);
    km.utils.setRandomSeed(2);
    const x = km.input({ shape: [features] });
    const hidden = km.layers.reshape({ targetShape: sample }).apply(km.layers.dense({ units, activation: 'tanh', biasInitializer: 'glorotUniform' }).apply(x));
    const model = km.model({ inputs: x, outputs: km.layers.flatten().apply(km.layers.spatialDropout2d({ rate: 0.5, seed, dataFormat }).apply(hidden)) });
    // The mask the model's layer draws first: a fresh layer with the same seed on ones.
    const mask = Array.from(km.layers.spatialDropout2d({ rate: 0.5, seed, dataFormat }).apply(km.tensor(new Float32Array(batch * units).fill(1), [batch, ...sample]), { training: true }).dataSync());
    expect(mask.some((v) => v === 0) && mask.some((v) => v === 2)).toBe(true);
    const random = new Random(8);
    const xs = Array.from({ length: batch }, () => Array.from({ length: features }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: batch }, () => Array.from({ length: units }, () => random.uniform(-1, 1)));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const loss = () => xs.reduce((s, row, r) => {
      const out = dense(row, weights[0], weights[1]).map((v, j) => Math.tanh(v) * mask[r * units + j]);
      return s + out.reduce((t, v, j) => t + (v - ys[r][j]) ** 2, 0) / units;
    }, 0) / batch;
    const expected = finiteDifferences(weights, loss);
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', km.tensor(xs.flat(), [batch, features]), km.tensor(ys.flat(), [batch, units])), expected, ['kernel', 'bias']);
  });

  it('rejects a rate outside [0, 1), a wrong input rank, an unknown dataFormat and a fractional seed, naming the value', () => {
    expect(() => km.layers.spatialDropout2d({ rate: 1 })).toThrow(/SpatialDropout2D layer '.*': rate must be a number in \[0, 1\)\. Received: rate=1\./);
    expect(() => km.layers.spatialDropout3d({ rate: -0.2 })).toThrow(/SpatialDropout3D layer '.*': rate must be a number in \[0, 1\)\. Received: rate=-0\.2\./);
    expect(() => km.layers.spatialDropout2d({ rate: 0.1 }).apply(km.input({ shape: [5, 4] }))).toThrow(/SpatialDropout2D layer '.*' expects inputs of shape \(None, rows, cols, channels\), but received \(None, 5, 4\)\. Use SpatialDropout1D for inputs of that rank\./);
    expect(() => km.layers.spatialDropout2d({ rate: 0.1, dataFormat: 'channelsFirst' }).apply(km.input({ shape: [2, 5, 4, 3] }))).toThrow(/expects inputs of shape \(None, channels, rows, cols\), but received \(None, 2, 5, 4, 3\)\. Use SpatialDropout3D/);
    expect(() => km.layers.spatialDropout3d({ rate: 0.1 }).apply(km.input({ shape: [5, 4, 3] }))).toThrow(/expects inputs of shape \(None, dim1, dim2, dim3, channels\), but received \(None, 5, 4, 3\)\. Use SpatialDropout2D/);
    expect(() => km.layers.spatialDropout2d({ rate: 0.1, dataFormat: 'NCHW' as 'channelsFirst' })).toThrow(/dataFormat must be 'channelsLast' or 'channelsFirst'\. Received: dataFormat="NCHW"\./);
    expect(() => km.layers.spatialDropout2d({ rate: 0.1, seed: 1.5 })).toThrow(/seed must be an integer or null\. Received: seed=1\.5\./);
    expect(() => km.layers.spatialDropout2d({ rate: 0.1, noiseShape: null } as never)).toThrow(/km\.layers\.spatialDropout2d.*noiseShape/);
  });

  it('saves Keras\' class names and config keys, loads back with the same predictions; tfjs-layers 4.22, which lacks the layers, refuses the file', async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([
      km.layers.spatialDropout2d({ rate: 0.25, dataFormat: 'channelsFirst', seed: 9, inputShape: [2, 4, 4] }),
      km.layers.reshape({ targetShape: [2, 4, 4, 1] }),
      km.layers.spatialDropout3d({ rate: 0.4 }),
      km.layers.flatten(),
      km.layers.dense({ units: 3 }),
    ]);
    const x = km.tensor(Float32Array.from({ length: 5 * 32 }, (_, i) => Math.cos(i)), [5, 2, 4, 4]);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers.map((l) => l.class_name)).toEqual(['SpatialDropout2D', 'Reshape', 'SpatialDropout3D', 'Flatten', 'Dense']);
    expect(layers[0].config).toMatchObject({ rate: 0.25, seed: 9, data_format: 'channels_first' });
    expect(layers[2].config).toMatchObject({ rate: 0.4, seed: null, data_format: 'channels_last' });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/SpatialDropout2D/);
  });
});
