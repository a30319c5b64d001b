import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, kerasmArtifacts, tfjsArtifacts } from './testing/round_trip.js';

describe('LayersModel format round trip with tfjs 4.22, both directions', () => {
  it('Dense (activations, no bias, each initializer preset)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6],
      kerasm: () => [
        km.layers.dense({ inputShape: [6], units: 5, activation: 'tanh', useBias: false, kernelInitializer: 'heNormal' }),
        km.layers.dense({ units: 4, activation: 'relu', kernelInitializer: 'lecunUniform', biasInitializer: 'ones' }),
        km.layers.dense({ units: 3, activation: 'sigmoid', kernelInitializer: 'glorotNormal' }),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.dense({ inputShape: [6], units: 5, activation: 'tanh', useBias: false }),
        tfl.layers.dense({ units: 4, activation: 'relu', biasInitializer: 'randomNormal' }),
        tfl.layers.dense({ units: 3, activation: 'sigmoid' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  });

  it('Dense with kernel and bias regularizers (L1L2 in tfjs, L1/L2/L1L2 read back)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [4],
      kerasm: () => [
        km.layers.dense({ inputShape: [4], units: 3, kernelRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: km.regularizers.l2({ l2: 0.5 }) }),
        km.layers.dense({ units: 2, kernelRegularizer: km.regularizers.l1() }),
      ],
      tfjs: () => [
        tfl.layers.dense({ inputShape: [4], units: 3, kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: tfl.regularizers.l2({ l2: 0.5 }) }),
        tfl.layers.dense({ units: 2, kernelRegularizer: tfl.regularizers.l1() }),
      ],
    });
  });

  it('Flatten', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 4],
      kerasm: () => [km.layers.flatten({ inputShape: [3, 4] }), km.layers.dense({ units: 2 })],
      tfjs: () => [tfl.layers.flatten({ inputShape: [3, 4] }), tfl.layers.dense({ units: 2 })],
    });
  });

  it('Activation', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [4],
      kerasm: () => [km.layers.activation({ inputShape: [4], activation: 'relu' }), km.layers.dense({ units: 3 }), km.layers.activation({ activation: 'softmax' })],
      tfjs: () => [tfl.layers.activation({ inputShape: [4], activation: 'relu' }), tfl.layers.dense({ units: 3 }), tfl.layers.activation({ activation: 'softmax' })],
    });
  });

  it('Dense and Activation with every activation tfjs-layers 4.22 names (elu ... hardSigmoid)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [4],
      kerasm: () => [
        km.layers.dense({ inputShape: [4], units: 5, activation: 'elu' }),
        km.layers.dense({ units: 5, activation: 'selu' }),
        km.layers.activation({ activation: 'softplus' }),
        km.layers.dense({ units: 4, activation: 'softsign' }),
        km.layers.dense({ units: 4, activation: 'relu6' }),
        // Keras' spelling of tfjs' 'hardSigmoid'.
        km.layers.activation({ activation: 'hard_sigmoid' }),
      ],
      tfjs: () => [
        tfl.layers.dense({ inputShape: [4], units: 5, activation: 'elu' }),
        tfl.layers.dense({ units: 5, activation: 'selu' }),
        tfl.layers.activation({ activation: 'softplus' }),
        tfl.layers.dense({ units: 4, activation: 'softsign' }),
        tfl.layers.dense({ units: 4, activation: 'relu6' }),
        tfl.layers.activation({ activation: 'hardSigmoid' }),
      ],
    });
  });

  it('the activations that need their input (swish, gelu, mish) in Dense, Conv2D and Activation', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 4, 2],
      kerasm: () => [
        km.layers.conv2d({ inputShape: [5, 4, 2], filters: 3, kernelSize: 2, activation: 'gelu' }),
        km.layers.flatten(),
        km.layers.dense({ units: 5, activation: 'swish' }),
        km.layers.activation({ activation: 'gelu' }),
        km.layers.dense({ units: 3, activation: 'mish' }),
      ],
      tfjs: () => [
        tfl.layers.conv2d({ inputShape: [5, 4, 2], filters: 3, kernelSize: 2, activation: 'gelu' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 5, activation: 'swish' }),
        tfl.layers.activation({ activation: 'gelu' }),
        tfl.layers.dense({ units: 3, activation: 'mish' }),
      ],
    });
  });

  it("gelu_new: kerasm reads what tfjs writes and writes the same, though tfjs-layers 4.22 cannot read its own 'gelu_new' back", async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'gelu_new' })] });
    const saved = await tfjsArtifacts(theirs);
    // tfjs renames the value to 'geluNew' when it loads, a name it has not registered.
    await expect(tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown activation: geluNew/);
    const ours = await km.loadLayersModel(km.io.fromMemory(saved));
    expect((ours.layers[0] as km.layers.Dense).activation).toBe('gelu_new');
    const x = [[0.5, -1, 2], [3, 0, -2]];
    const expected = Array.from((theirs.predict(tf.tensor(x)) as tf.Tensor).dataSync());
    Array.from(ours.predict(km.tensor(x)).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    const rewritten = (await kerasmArtifacts(ours)).modelTopology as { config: { layers: { config: { activation: string } }[] } };
    expect(rewritten.config.layers[0].config.activation).toBe('gelu_new');
  });

  it("Keras' 'silu' is written 'swish', the name tfjs-layers reads, and tfjs loads the file", async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.dense({ inputShape: [3], units: 2, activation: 'silu' })]);
    expect((model.layers[0] as km.layers.Dense).activation).toBe('swish');
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { config: { activation: string } }[] } }).config.layers;
    expect(layers[0].config.activation).toBe('swish');
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const x = [[0.5, -1, 2], [3, 0, -2]];
    const ours = Array.from(model.predict(km.tensor(x)).dataSync());
    Array.from((theirs.predict(tf.tensor(x)) as tf.Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ours[i], 6));
  });

  it('exponential, which tfjs-layers 4.22 lacks: kerasm saves and reloads it, and tfjs refuses the file naming it', async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.dense({ inputShape: [3], units: 2, activation: 'exponential' })]);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { config: { activation: string } }[] } }).config.layers;
    expect(layers[0].config.activation).toBe('exponential');
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const x = km.tensor([[0.5, -1, 2], [3, 0, -2]]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/exponential/);
  });

  it("hardSigmoid is written 'hard_sigmoid', as tfjs-layers writes it, and reads back as hardSigmoid", async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.dense({ inputShape: [3], units: 2, activation: 'hardSigmoid' })]);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { config: { activation: string } }[] } }).config.layers;
    expect(layers[0].config.activation).toBe('hard_sigmoid');
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect((reloaded.layers[0] as km.layers.Dense).activation).toBe('hardSigmoid');
    const x = km.tensor([[0.5, -1, 2], [3, 0, -2]]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });
});
