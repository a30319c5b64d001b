import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';
import { expectSameTrainingSteps } from '../testing/tfjs_step_parity.js';

// LayerNormalization in small models against tfjs-layers 4.22 on its cpu backend: the same weights
// give the same predictions, and the same losses and weights over a few Adam steps on the same
// batches; and saved models load in the other library with the same predictions.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [BATCH, CLASSES, STEPS] = [8, 3, 5];
const GAMMA_INIT = { className: 'RandomUniform', config: { minval: 0.5, maxval: 1.5, seed: null } };
const BETA_INIT = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: null } };
const labels = Float32Array.from({ length: BATCH * CLASSES }, (_, i) => (i % CLASSES === Math.floor(i / CLASSES) % CLASSES ? 1 : 0));

interface Case {
  name: string;
  inputShape: number[];
  axis: number | number[];
  /**
   * Normalising over the positions removes the first Dense's bias (the same for every position), so
   * its gradient is float noise, which Adam's tiny ε turns into full steps that differ between the
   * two libraries: those cases leave it out.
   */
  noDenseBias?: boolean;
}

const cases: Case[] = [
  { name: 'Dense → LayerNormalization → Dense', inputShape: [6], axis: -1 },
  { name: 'rank 3, axis -1 (per position)', inputShape: [3, 4], axis: -1 },
  { name: 'rank 3, axis [-2, -1] (per sample)', inputShape: [3, 4], axis: [-2, -1] },
  { name: 'rank 3, axis 1 (per unit, over the steps)', inputShape: [3, 4], axis: 1, noDenseBias: true },
  { name: 'rank 4, axis [1, 2] (per unit, over the image)', inputShape: [2, 3, 4], axis: [1, 2], noDenseBias: true },
  { name: 'rank 4, axes [1, 3], not adjacent (per middle position, over the rows and units)', inputShape: [2, 3, 4], axis: [1, 3] },
];

describe('LayerNormalization against tfjs-layers 4.22: predictions, then losses and weights over Adam steps', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(8);
    const random = new Random(31);
    const rank3 = c.inputShape.length > 1;
    const ours = km.sequential([
      km.layers.dense({ units: 5, inputShape: c.inputShape, biasInitializer: 'glorotUniform', useBias: !c.noDenseBias }),
      km.layers.layerNormalization({ axis: c.axis, gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT }),
      ...(rank3 ? [km.layers.flatten()] : []),
      km.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ]);
    const theirs = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 5, inputShape: c.inputShape, useBias: !c.noDenseBias }),
        tfl.layers.layerNormalization({ axis: c.axis }),
        ...(rank3 ? [tfl.layers.flatten()] : []),
        tfl.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ],
    });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));

    const xValues = Float32Array.from({ length: BATCH * c.inputShape.reduce((a, b) => a * b, 1) }, () => random.uniform(-2, 2));
    const x = km.tensor(xValues, [BATCH, ...c.inputShape]);
    const tfX = tf.tensor(xValues, [BATCH, ...c.inputShape]);
    const expected = (theirs.predict(tfX) as tf.Tensor).dataSync();
    ours.predict(x).dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));

    ours.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-10 }), loss: 'categoricalCrossentropy' });
    theirs.compile({ optimizer: tf.train.adam(0.02, 0.9, 0.999, 1e-10), loss: 'categoricalCrossentropy' });
    const y = km.tensor(labels, [BATCH, CLASSES]);
    const tfY = tf.tensor(labels, [BATCH, CLASSES]);
    await expectSameTrainingSteps(ours, theirs, [x, y], [tfX, tfY], STEPS, { minMove: 1e-2, weightTolerance: 1e-3 });
  });
});

describe('LayerNormalization in the LayersModel format, both ways with tfjs-layers 4.22', () => {
  // tfjs-layers 4.22's LayerNormalization has no constraints, so it writes none; Keras does.
  const tfjsOmits = ['beta_constraint', 'gamma_constraint'];

  it('axis -1 with scale and offset, after Dense', () =>
    checkLayersModelRoundTrip({
      kerasm: () => [km.layers.dense({ units: 6, inputShape: [4] }), km.layers.layerNormalization({ gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT })],
      tfjs: () => [tfl.layers.dense({ units: 6, inputShape: [4] }), tfl.layers.layerNormalization({ gammaInitializer: 'randomUniform', betaInitializer: 'randomUniform' })],
      inputShape: [4],
      tfjsOmits,
    }));

  it('axis [-2, -1] over [h, w, c] images, no offset, epsilon 0.01', () =>
    checkLayersModelRoundTrip({
      kerasm: () => [km.layers.layerNormalization({ axis: [-2, -1], center: false, epsilon: 0.01, gammaInitializer: GAMMA_INIT, inputShape: [2, 3, 4] })],
      tfjs: () => [tfl.layers.layerNormalization({ axis: [-2, -1], center: false, epsilon: 0.01, gammaInitializer: 'randomUniform', inputShape: [2, 3, 4] })],
      inputShape: [2, 3, 4],
      tfjsOmits,
    }));
});
