import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { expectClose } from '../testing/expect_close.js';
import { Random } from '../utils/random.js';

// GroupNormalization's output against a float64 loop written from Keras 3's definition for inputs
// of rank 2 to 5 and several group counts, its relation to LayerNormalization, config and saving,
// and its errors.
beforeAll(() => km.ready());

const GAMMA_INIT = { className: 'RandomUniform', config: { minval: 0.5, maxval: 1.5, seed: 3 } };
const BETA_INIT = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: 4 } };

/**
 * Float64 group normalization of [batch, ...] with the channels on `axis` (counted from the batch):
 * statistics per sample and group over all positions.
 */
function groupNormReference(x: ArrayLike<number>, shape: readonly number[], axis: number, groups: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, epsilon: number): number[] {
  const perSample = x.length / shape[0];
  const channels = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const cpg = channels / groups;
  const y = new Array<number>(x.length);
  for (let b = 0; b < shape[0]; b++) {
    for (let g = 0; g < groups; g++) {
      const members: number[] = [];
      for (let i = b * perSample; i < (b + 1) * perSample; i++) if (Math.floor(channelOf(i) / cpg) === g) members.push(i);
      const mean = members.reduce((s, i) => s + x[i], 0) / members.length;
      const variance = members.reduce((s, i) => s + (x[i] - mean) ** 2, 0) / members.length;
      for (const i of members) y[i] = ((x[i] - mean) / Math.sqrt(variance + epsilon)) * gamma[channelOf(i)] + beta[channelOf(i)];
    }
  }
  return y;
}

function randomInput(shape: number[], seed: number): km.Tensor {
  const random = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return km.tensor(Float32Array.from({ length: size }, () => random.uniform(-3, 5)), shape);
}

describe('GroupNormalization', () => {
  it.each([
    { shape: [3, 8], groups: 4 },
    { shape: [2, 5, 6], groups: 3 },
    { shape: [2, 5, 6], groups: 1 },
    { shape: [2, 4, 3, 12], groups: 4 },
    { shape: [2, 4, 3, 12], groups: -1 },
    { shape: [2, 3, 2, 4, 10], groups: 5 },
    { shape: [2, 7, 7, 32], groups: 32 },
    { shape: [2, 7, 7, 64], groups: undefined },
    { shape: [2, 12, 3, 5], groups: 4, axis: 1 },
    { shape: [2, 3, 6, 5], groups: 3, axis: -2 },
    { shape: [2, 4, 2, 3, 2], groups: -1, axis: 2 },
  ])('input $shape in $groups groups on axis $axis matches a float64 loop, the same in training and inference', ({ shape, groups, axis }) => {
    const layer = km.layers.groupNormalization({ groups, axis, epsilon: 1e-2, gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT });
    const x = randomInput(shape, shape.length + (groups ?? 0));
    const inference = layer.apply(x).dataSync();
    const channelAxis = axis === undefined ? shape.length - 1 : axis < 0 ? axis + shape.length : axis;
    const channels = shape[channelAxis];
    const [gamma, beta] = layer.getWeights().map((w) => w.dataSync());
    expect(gamma).toHaveLength(channels);
    const resolved = groups === -1 ? channels : (groups ?? 32);
    expect(layer.getConfig().groups).toBe(resolved);
    expectClose(inference, groupNormReference(x.dataSync(), shape, channelAxis, resolved, gamma, beta, 1e-2), 1e-4);
    expect(Array.from(layer.apply(x, { training: true }).dataSync())).toEqual(Array.from(inference));
  });

  it('with one group it is LayerNormalization over all the non-batch axes', () => {
    const x = randomInput([3, 4, 5, 6], 8);
    const grouped = km.layers.groupNormalization({ groups: 1, scale: false, center: false }).apply(x).dataSync();
    const layerNorm = km.layers.layerNormalization({ axis: [1, 2, 3], scale: false, center: false }).apply(x).dataSync();
    expectClose(grouped, Array.from(layerNorm), 1e-5);
  });

  it('passes a mask on, as Keras (masked steps still count in the statistics)', () => {
    // Steps 3 and 4 of the first sample are padding; the pooling after it averages steps 0-2 only.
    const values = Array.from(randomInput([2, 5, 4], 12).dataSync());
    values.fill(0, 12, 20);
    const x = km.tensor(values, [2, 5, 4]);
    const args = { groups: 2, betaInitializer: BETA_INIT };
    const masked = km.sequential([km.layers.masking({ maskValue: 0, inputShape: [5, 4] }), km.layers.groupNormalization(args), km.layers.globalAveragePooling1d()]);
    const plain = km.sequential([km.layers.groupNormalization({ ...args, inputShape: [5, 4] })]);
    plain.setWeights(masked.getWeights());
    const normalized = plain.predict(x).dataSync();
    const expected = [0, 1].flatMap((b) => Array.from({ length: 4 }, (_, c) => {
      const steps = b === 0 ? 3 : 5;
      let sum = 0;
      for (let t = 0; t < steps; t++) sum += normalized[(b * 5 + t) * 4 + c];
      return sum / steps;
    }));
    expectClose(masked.predict(x).dataSync(), expected, 1e-5);
  });

  it('gamma and beta are [channels], named as Keras names them; center and scale drop them', () => {
    const model = km.sequential([km.layers.groupNormalization({ groups: 2, name: 'gn', inputShape: [5, 8] })]);
    expect(model.layers[0].weightSpecs.map((w) => [w.name, w.shape])).toEqual([['gn/gamma', [8]], ['gn/beta', [8]]]);
    expect(km.sequential([km.layers.groupNormalization({ groups: 2, center: false, inputShape: [8] })]).layers[0].weightSpecs.map((w) => w.name)).toEqual([expect.stringMatching(/gamma$/)]);
    expect(km.sequential([km.layers.groupNormalization({ groups: 2, center: false, scale: false, inputShape: [8] })]).countParams()).toBe(0);
  });

  it('saves and loads with Keras 3 config names; tfjs-layers, which has no GroupNormalization, refuses the file', async () => {
    const model = km.sequential([
      km.layers.dense({ units: 8, inputShape: [3, 4] }),
      km.layers.groupNormalization({ groups: 4, epsilon: 0.01, center: false, gammaInitializer: 'heUniform', gammaRegularizer: km.regularizers.l2({ l2: 0.1 }), gammaConstraint: km.constraints.nonNeg() }),
    ]);
    const x = randomInput([2, 3, 4], 9);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const saved = layers.find((l) => l.class_name === 'GroupNormalization')!.config;
    expect(saved).toMatchObject({ groups: 4, axis: -1, epsilon: 0.01, center: false, scale: true, beta_initializer: { class_name: 'Zeros' }, gamma_initializer: { class_name: 'VarianceScaling' }, beta_regularizer: null, beta_constraint: null });
    expect(saved.gamma_regularizer).toMatchObject({ class_name: 'L1L2' });
    expect(saved.gamma_constraint).toMatchObject({ class_name: 'NonNeg' });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));

    await tf.setBackend('cpu');
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown layer: GroupNormalization/);
  });

  describe('bad input', () => {
    it.each([
      [{ groups: 0 }, 'groups must be a positive integer that divides the channel count, or -1 for one group per channel. Received: groups=0.'],
      [{ groups: -2 }, 'Received: groups=-2.'],
      [{ groups: 2.5 }, 'Received: groups=2.5.'],
      [{ axis: 1.5 }, 'axis must be an integer, the channel axis counting the batch as 0 (e.g. -1 for channels-last, 1 for channels-first). Received: axis=1.5.'],
      [{ epsilon: 0 }, 'epsilon must be a positive number, e.g. 1e-3. Received: epsilon=0.'],
      [{ scale: 1 }, 'scale must be true or false. Received: scale=1.'],
    ])('%j is refused in the constructor', (args, message) => {
      expect(() => km.layers.groupNormalization(args as never)).toThrow(message);
    });

    it('refuses a group count that does not divide the channels, suggesting one that does', () => {
      expect(() => km.sequential([km.layers.groupNormalization({ groups: 4, inputShape: [5, 6] })])).toThrow(
        "GroupNormalization layer 'group_normalization",
      );
      expect(() => km.sequential([km.layers.groupNormalization({ groups: 4, inputShape: [5, 6] })])).toThrow(
        'groups must divide the number of channels (6, axis 2 of input shape (None, 5, 6)). Received: groups=4. Pick a divisor of 6, e.g. 3, or -1 for one group per channel.',
      );
      // Keras' default of 32 groups needs at least 32 channels.
      expect(() => km.sequential([km.layers.groupNormalization({ inputShape: [16] })])).toThrow('Received: groups=32. Pick a divisor of 16, e.g. 16');
    });

    it('refuses the batch axis or one past the input as the channel axis, naming the shape', () => {
      expect(() => km.sequential([km.layers.groupNormalization({ groups: 2, axis: 0, inputShape: [4, 6] })])).toThrow(
        'axis=0 is not a channel axis of inputs of shape (None, 4, 6) (axes 1 to 2, or -1 to -2; axis 0 is the batch). Use -1 for channels-last inputs, 1 for channels-first.',
      );
      expect(() => km.sequential([km.layers.groupNormalization({ groups: 2, axis: -3, inputShape: [4, 6] })])).toThrow('axis=-3 is not a channel axis');
      // Axis 1 holds 4 channels, in 2 groups of 2, each with a gamma and a beta.
      expect(km.sequential([km.layers.groupNormalization({ groups: 2, axis: 1, inputShape: [4, 6] })]).countParams()).toBe(8);
      expect(() => km.sequential([km.layers.groupNormalization({ groups: 3, axis: 1, inputShape: [4, 6] })])).toThrow('groups must divide the number of channels (4, axis 1 of input shape (None, 4, 6)). Received: groups=3.');
    });

    it('refuses inputs of rank 1 (a batch of scalars)', () => {
      expect(() => km.layers.groupNormalization({ groups: 1 }).computeOutputShape([[]])).toThrow(
        'needs inputs of rank 2 or more (batch included) with a channel axis, e.g. (None, channels) or (None, h, w, channels). Received: input shape (None, ).',
      );
    });

    it('names the option meant for an unknown one', () => {
      expect(() => km.layers.groupNormalization({ group: 4 } as never)).toThrow("km.layers.groupNormalization has no option 'group'; did you mean 'groups'?");
    });
  });
});
