import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('constraints and activity regularizers in the LayersModel format (tfjs 4.22)', () => {
  // checkLayersModelRoundTrip compares weights exactly, but tfjs-layers applies constraints when
  // it writes loaded weights (LayerVariable.write), so the tfjs side is checked by configs here.
  it('kernel and bias constraints on Dense and Conv2D round-trip both ways', async () => {
    await tf.setBackend('cpu');
    await km.ready();
    const configsOf = (topology: unknown) =>
      (topology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers
        .filter((l) => l.class_name !== 'InputLayer')
        .map(({ class_name, config }) => ({ class_name, kernel: config.kernel_constraint, bias: config.bias_constraint, activity: config.activity_regularizer }));
    const tfjsTopology = async (model: tfl.LayersModel) => {
      let topology: unknown;
      await model.save(tf.io.withSaveHandler(async (a) => ((topology = a.modelTopology), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
      return topology;
    };
    const ours = km.sequential([
      km.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 2, kernelConstraint: km.constraints.unitNorm({ axis: [0, 1, 2] }), biasConstraint: km.constraints.nonNeg() }),
      km.layers.flatten(),
      km.layers.dense({ units: 4, kernelConstraint: km.constraints.maxNorm({ maxValue: 1.5, axis: 0 }) }),
      km.layers.dense({ units: 2, kernelConstraint: km.constraints.minMaxNorm({ minValue: 0.2, maxValue: 0.9, rate: 0.5, axis: 0 }), biasConstraint: km.constraints.maxNorm() }),
    ]);
    let saved: km.io.ModelArtifacts | undefined;
    await ours.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
    const reloaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(ours.layers.map((l) => l.getConfig()));
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(configsOf(await tfjsTopology(inTfjs))).toEqual(configsOf(saved!.modelTopology));

    const theirs = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 2, kernelConstraint: tfl.constraints.unitNorm({ axis: [0, 1, 2] }), biasConstraint: tfl.constraints.nonNeg() }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 4, kernelConstraint: tfl.constraints.maxNorm({ maxValue: 1.5, axis: 0 }) }),
        tfl.layers.dense({ units: 2, kernelConstraint: tfl.constraints.minMaxNorm({ minValue: 0.2, maxValue: 0.9, rate: 0.5, axis: 0 }), biasConstraint: tfl.constraints.maxNorm({ maxValue: 2, axis: 0 }) }),
      ],
    });
    let fromTfjs: km.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => ((fromTfjs = a as km.io.ModelArtifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await km.loadLayersModel(km.io.fromMemory(fromTfjs!));
    expect(loaded.layers.map((l) => l.getConfig().kernelConstraint ?? null)).toEqual(ours.layers.map((l) => l.getConfig().kernelConstraint ?? null));
    expect(loaded.layers.map((l) => l.getConfig().biasConstraint ?? null)).toEqual(ours.layers.map((l) => l.getConfig().biasConstraint ?? null));
    const x = Float32Array.from({ length: 3 * 32 }, (_, i) => Math.sin(i));
    const theirPrediction = (theirs.predict(tf.tensor(x, [3, 4, 4, 2])) as tf.Tensor).dataSync();
    Array.from(loaded.predict(km.tensor(x, [3, 4, 4, 2])).dataSync()).forEach((v, i) => expect(Math.abs(v - theirPrediction[i])).toBeLessThan(1e-5));
  });

  it('activity regularizers: the config tfjs writes, and a kerasm save and load that keeps the penalty', async () => {
    await km.ready();
    const ours = km.layers.dense({ units: 2, activityRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.02 }) });
    // tfjs-layers 4.22 refuses to call a layer with an activity regularizer, but builds and serializes one.
    const theirs = tfl.layers.dense({ units: 2, activityRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.02 }) });
    expect(ours.getConfig().activityRegularizer).toEqual(theirs.getConfig().activityRegularizer);
    const conv = km.layers.conv2d({ filters: 1, kernelSize: 1, activityRegularizer: km.regularizers.l2({ l2: 0.5 }) });
    const tfConv = tfl.layers.conv2d({ filters: 1, kernelSize: 1, activityRegularizer: tfl.regularizers.l2({ l2: 0.5 }) });
    expect(conv.getConfig().activityRegularizer).toEqual(tfConv.getConfig().activityRegularizer);

    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2], activation: 'relu', activityRegularizer: km.regularizers.l2({ l2: 0.5 }) }), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
    const topology = JSON.stringify(saved!.modelTopology);
    expect(topology).toContain('"activity_regularizer":{"class_name":"L1L2","config":{"l1":0,"l2":0.5}}');
    const reloaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    reloaded.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = km.tensor([[1, 2], [-1, 0.5]]);
    const y = km.tensor([[0.1], [0.2]]);
    const [before] = await model.evaluate(x, y, { verbose: 0 });
    const [after] = await reloaded.evaluate(x, y, { verbose: 0 });
    expect(after).toBeCloseTo(before, 6);
    expect(reloaded.layers[0].activityRegularizer).toEqual({ l1: 0, l2: 0.5 });
  });

  it('a constraint on a layer that would drop it is refused when loading', async () => {
    await km.ready();
    const model = km.sequential([km.layers.batchNormalization({ inputShape: [3] })]);
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
    const topology = saved!.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } };
    topology.config.layers.at(-1)!.config.gamma_constraint = { class_name: 'NonNeg', config: {} };
    await expect(km.loadLayersModel(km.io.fromMemory(saved!))).rejects.toThrow(/\(BatchNormalization\): uses gammaConstraint=\{"className":"NonNeg","config":\{\}\}, which kerasm does not support on this layer yet .*Set it to null in model.json/);
  });
});
