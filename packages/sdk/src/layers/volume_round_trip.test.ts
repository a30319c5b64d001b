import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, kerasmArtifacts } from '../io/testing/round_trip.js';

beforeAll(() => km.ready());

describe('Conv3D and 3-D pooling: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('Conv3D: valid and same padding, strides, dilation, no bias, regularizers', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 6, 5, 2],
      kerasm: () => [
        km.layers.conv3d({ inputShape: [5, 6, 5, 2], filters: 3, kernelSize: 3, activation: 'relu', biasInitializer: 'glorotUniform' }),
        km.layers.conv3d({ filters: 2, kernelSize: [2, 3, 1], strides: [1, 2, 1], padding: 'same', activation: 'tanh', useBias: false }),
        km.layers.conv3d({ filters: 2, kernelSize: 2, dilationRate: [1, 1, 2], padding: 'same', kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), biasInitializer: 'ones' }),
      ],
      tfjs: () => [
        tfl.layers.conv3d({ inputShape: [5, 6, 5, 2], filters: 3, kernelSize: 3, activation: 'relu', biasInitializer: 'randomNormal' }),
        tfl.layers.conv3d({ filters: 2, kernelSize: [2, 3, 1], strides: [1, 2, 1], padding: 'same', activation: 'tanh', useBias: false }),
        tfl.layers.conv3d({ filters: 2, kernelSize: 2, dilationRate: [1, 1, 2], padding: 'same', kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }), biasInitializer: 'randomNormal' }),
      ],
    });
  });

  it('MaxPooling3D and AveragePooling3D: valid and same, default and explicit strides', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6, 7, 5, 2],
      kerasm: () => [
        km.layers.maxPooling3d({ inputShape: [6, 7, 5, 2] }),
        km.layers.averagePooling3d({ poolSize: 2, strides: 1, padding: 'same' }),
        km.layers.maxPooling3d({ poolSize: [1, 3, 2], strides: [1, 1, 2], padding: 'same' }),
        km.layers.flatten(),
        km.layers.dense({ units: 3 }),
      ],
      tfjs: () => [
        tfl.layers.maxPooling3d({ inputShape: [6, 7, 5, 2] }),
        tfl.layers.averagePooling3d({ poolSize: 2, strides: 1, padding: 'same' }),
        tfl.layers.maxPooling3d({ poolSize: [1, 3, 2], strides: [1, 1, 2], padding: 'same' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3 }),
      ],
    });
  });
});

// tfjs-layers 4.22 has no GlobalMax/AveragePooling3D, ZeroPadding3D, Cropping3D or UpSampling3D:
// these save with Keras' field names and load back in kerasm.
describe('3-D layers tfjs lacks: save and load in the LayersModel format', () => {
  it('keep their config (Keras field names) and predictions', async () => {
    km.utils.setRandomSeed(5);
    const model = km.sequential([
      km.layers.zeroPadding3d({ padding: [[1, 0], [2, 1], [0, 1]], inputShape: [3, 4, 5, 2] }),
      km.layers.conv3d({ filters: 3, kernelSize: 2, activation: 'relu' }),
      km.layers.upSampling3d({ size: [2, 1, 2] }),
      km.layers.cropping3D({ cropping: [[1, 1], [0, 1], [2, 2]] }),
      km.layers.globalMaxPooling3d({ dataFormat: 'channelsLast' }),
    ]);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const byClass = Object.fromEntries(layers.map((l) => [l.class_name, l.config]));
    expect(byClass.ZeroPadding3D.padding).toEqual([[1, 0], [2, 1], [0, 1]]);
    expect(byClass.UpSampling3D.size).toEqual([2, 1, 2]);
    expect(byClass.Cropping3D.cropping).toEqual([[1, 1], [0, 1], [2, 2]]);
    expect(byClass.GlobalMaxPooling3D.data_format).toBe('channels_last');
    const x = km.tensor(Float32Array.from({ length: 2 * 3 * 4 * 5 * 2 }, (_, i) => Math.sin(i)), [2, 3, 4, 5, 2]);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));

    const averaged = km.sequential([km.layers.globalAveragePooling3d({ inputShape: [3, 4, 5, 2] })]);
    const again = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(averaged)));
    expect(again.layers[0].className).toBe('GlobalAveragePooling3D');
    expect(Array.from(again.predict(x).dataSync())).toEqual(Array.from(averaged.predict(x).dataSync()));
  });
});
