import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { savedLayerConfig } from '../io/layers_model_format.js';
import { Random } from '../utils/random.js';

// EinsumDense saved and loaded as Keras 3 writes it: class EinsumDense, its config keys
// (equation, output_shape, bias_axes, activation, the initializers, regularizers and constraints),
// weights 'kernel' and 'bias'; and a config in Keras 3's own form read back.
beforeAll(() => km.ready());

type SavedLayer = { class_name: string; config: Record<string, unknown> };

describe('EinsumDense saved and loaded', () => {
  it('keeps its config, weights and predictions through save and km.loadLayersModel', async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([
      km.input({ shape: [2, 4, 5] }),
      km.layers.einsumDense({
        equation: 'abcd,cbe->aebc', outputShape: [3, null, null], biasAxes: 'eb', activation: 'swish', name: 'project',
        biasInitializer: 'randomNormal', kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), biasConstraint: km.constraints.nonNeg(),
      }),
      km.layers.einsumDense({ equation: 'ab...,bc->ac...', outputShape: 2, biasAxes: 'c', name: 'mix' }),
    ]);
    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: SavedLayer[] } }).config.layers;
    const [project, mix] = ['project', 'mix'].map((name) => saved.find((entry) => entry.config.name === name)!);
    expect(project.class_name).toBe('EinsumDense');
    expect(project.config).toMatchObject({
      name: 'project', equation: 'abcd,cbe->aebc', output_shape: [3, null, null], bias_axes: 'eb', activation: 'swish',
      bias_initializer: { class_name: 'RandomNormal' }, kernel_regularizer: { class_name: 'L1L2' }, bias_constraint: { class_name: 'NonNeg' },
      kernel_constraint: null, bias_regularizer: null, activity_regularizer: null,
    });
    expect(project.config).not.toHaveProperty('use_bias');
    expect(mix.config).toMatchObject({ equation: 'ab...,bc->ac...', output_shape: [2], bias_axes: 'c', activation: 'linear' });
    const names = artifacts.weightSpecs!.map((w) => [w.name, w.shape]);
    expect(names).toEqual([['project/kernel', [4, 2, 3]], ['project/bias', [3, 2, 1]], ['mix/kernel', [3, 2]], ['mix/bias', [2, 1, 1]]]);

    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const random = new Random(2);
    const x = km.tensor(Array.from({ length: 3 * 40 }, () => random.uniform(-1, 1)), [3, 2, 4, 5]);
    const before = model.predict(x);
    expect(before.shape).toEqual([3, 2, 2, 4]);
    expect(maxAbsDiff(reloaded.predict(x).dataSync(), before.dataSync())).toBe(0);
    expect(reloaded.getLayer('project').getConfig()).toMatchObject(model.getLayer('project').getConfig());
  });

  it('rebuilds from getConfig() and from its snake_case config with the same config', () => {
    const layer = km.layers.einsumDense({ equation: '...b,bc->...c', outputShape: 4, biasAxes: 'c', activation: 'relu' });
    const config = layer.getConfig();
    expect(config).toMatchObject({ equation: '...b,bc->...c', outputShape: [4], biasAxes: 'c', activation: 'relu' });
    expect(km.layers.layerFromConfig('EinsumDense', config).getConfig()).toEqual(config);
    expect(km.layers.layerFromConfig('EinsumDense', savedLayerConfig(layer)).getConfig()).toEqual(config);
    // Without biasAxes, no bias; Keras writes bias_axes: null.
    const plain = km.layers.einsumDense({ equation: 'ab,bc->ac', outputShape: 3 });
    expect(plain.getConfig().biasAxes).toBeNull();
    expect(plain.apply(km.input({ shape: [2] })).shape).toEqual([3]);
    expect(plain.weightSpecs.map((w) => w.name.split('/').pop())).toEqual(['kernel']);
  });

  it("reads the config Keras 3's get_config() writes", () => {
    const initializer = (className: string) => ({ module: 'keras.initializers', class_name: className, config: { seed: null }, registered_name: null });
    const keras3 = {
      name: 'einsum_dense', trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      output_shape: [null, 64], equation: 'abc,cd->abd', activation: 'linear', bias_axes: 'd',
      kernel_initializer: initializer('GlorotUniform'), bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      quantization_config: null,
    };
    const layer = km.layers.layerFromConfig('EinsumDense', keras3) as km.layers.EinsumDense;
    expect(layer).toBeInstanceOf(km.layers.EinsumDense);
    expect(layer.apply(km.input({ shape: [32, 128] })).shape).toEqual([32, 64]);
    expect(layer.weightSpecs.map((w) => [w.name, [...w.shape]])).toEqual([['einsum_dense/kernel', [128, 64]], ['einsum_dense/bias', [64]]]);
  });
});
