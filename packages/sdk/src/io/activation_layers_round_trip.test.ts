import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, kerasmArtifacts } from './testing/round_trip.js';

describe('activation layers: LayersModel format round trip with tfjs 4.22, both directions', () => {
  it('LeakyReLU, ReLU (maxValue), ELU, ThresholdedReLU and Softmax', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6],
      kerasm: () => [
        km.layers.dense({ inputShape: [6], units: 8, biasInitializer: 'glorotUniform' }),
        km.layers.leakyReLU({ alpha: 0.2 }),
        km.layers.dense({ units: 8 }),
        km.layers.reLU({ maxValue: 0.5 }),
        km.layers.dense({ units: 8 }),
        km.layers.reLU(),
        km.layers.elu(),
        km.layers.dense({ units: 8 }),
        km.layers.thresholdedReLU({ theta: 0.1 }),
        km.layers.dense({ units: 4 }),
        km.layers.softmax(),
      ],
      tfjs: () => [
        tfl.layers.dense({ inputShape: [6], units: 8, biasInitializer: 'randomNormal' }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.reLU({ maxValue: 0.5 }),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.reLU(),
        tfl.layers.elu(),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.thresholdedReLU({ theta: 0.1 }),
        tfl.layers.dense({ units: 4 }),
        tfl.layers.softmax({ axis: -1 }),
      ],
    });
  });

  it('PReLU with an alpha per value and with alpha shared over image rows and columns', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 4, 2],
      kerasm: () => [
        km.layers.prelu({ inputShape: [3, 4, 2], alphaInitializer: 'glorotUniform' }),
        km.layers.conv2d({ filters: 3, kernelSize: 2 }),
        km.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: { className: 'Constant', config: { value: 0.25 } }, alphaRegularizer: km.regularizers.l2({ l2: 0.01 }), alphaConstraint: km.constraints.nonNeg() }),
        km.layers.flatten(),
      ],
      tfjs: () => [
        tfl.layers.prelu({ inputShape: [3, 4, 2], alphaInitializer: 'glorotUniform' }),
        tfl.layers.conv2d({ filters: 3, kernelSize: 2 }),
        tfl.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: tfl.initializers.constant({ value: 0.25 }), alphaRegularizer: tfl.regularizers.l2({ l2: 0.01 }), alphaConstraint: tfl.constraints.nonNeg() }),
        tfl.layers.flatten(),
      ],
    });
  });

  it("Keras' ReLU options and ELU alpha, which tfjs-layers 4.22 lacks, survive a kerasm round trip", async () => {
    const model = km.sequential([
      km.layers.reLU({ inputShape: [5], negativeSlope: 0.1, threshold: 0.2, maxValue: 2 }),
      km.layers.elu({ alpha: 0.5 }),
    ]);
    const x = km.tensor([-2, -0.5, 0.2, 1, 3, 0, 0.1, -1, 2.5, 0.3], [2, 5]);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
    expect(layers[0].config).toMatchObject({ max_value: 2, negative_slope: 0.1, threshold: 0.2 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    // tfjs refuses ELU's alpha itself, rather than computing something else.
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Non-default alpha value \(0.5\) is not supported/);
  });

  it("Keras 3's LeakyReLU config, which names alpha negative_slope, loads with that slope", async () => {
    const artifacts = await kerasmArtifacts(km.sequential([km.layers.leakyReLU({ inputShape: [3], alpha: 0.3 })]));
    const entries = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const layer = entries.find((e) => e.class_name === 'LeakyReLU')!;
    delete layer.config.alpha;
    layer.config.negative_slope = 0.1;
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect((reloaded.layers[0] as km.layers.LeakyReLU).alpha).toBe(0.1);
    expect(Array.from(reloaded.predict(km.tensor([-2, 0, 3], [1, 3])).dataSync())).toEqual([Math.fround(-0.2), 0, 3]);
  });
});
