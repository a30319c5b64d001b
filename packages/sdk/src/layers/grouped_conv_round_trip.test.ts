import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';

beforeAll(() => km.ready());

type SavedLayers = { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
const savedConfigs = (artifacts: km.io.ModelArtifacts) => (artifacts.modelTopology as SavedLayers).config.layers.map((l) => l.config);

describe('groups in the LayersModel format', () => {
  it.each([
    ['Conv1D', [9, 6], () => km.layers.conv1d({ filters: 6, kernelSize: 3, padding: 'causal', groups: 3, inputShape: [9, 6] })],
    ['Conv2D', [6, 5, 4], () => km.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', groups: 2, activation: 'relu', inputShape: [6, 5, 4] })],
    ['Conv3D', [3, 4, 4, 4], () => km.layers.conv3d({ filters: 4, kernelSize: 2, groups: 4, inputShape: [3, 4, 4, 4] })],
  ] as const)('%s saves groups in its Keras config and loads back with the same kernel and predictions', async (_label, input, make) => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([make()]);
    const artifacts = await kerasmArtifacts(model);
    const config = savedConfigs(artifacts)[0];
    const groups = (model.layers[0] as unknown as { groups: number }).groups;
    expect(config.groups).toBe(groups);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect((reloaded.layers[0] as unknown as { groups: number }).groups).toBe(groups);
    expect(reloaded.getWeights()[0].shape).toEqual(model.getWeights()[0].shape);
    const x = km.tensor(Float32Array.from({ length: 2 * input.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i)), [2, ...input]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('an ungrouped convolution saves no groups field, exactly as TensorFlow.js writes it', async () => {
    const model = km.sequential([km.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] })]);
    expect(savedConfigs(await kerasmArtifacts(model))[0]).not.toHaveProperty('groups');
  });

  // tfjs-layers 4.22 has no groups: it ignores the field, builds the full [k…, in, filters] kernel
  // and then refuses the saved [k…, in / groups, filters] weights.
  it('tfjs-layers 4.22 refuses a grouped model: the kernel shape does not match', async () => {
    const model = km.sequential([km.layers.conv2d({ filters: 4, kernelSize: 3, groups: 2, inputShape: [5, 5, 4] })]);
    const artifacts = await kerasmArtifacts(model);
    await expect(tfl.loadLayersModel({ load: async () => artifacts as never })).rejects.toThrow('Shape mismatch: [3,3,4,4] vs. [3,3,2,4]');
  });
});
