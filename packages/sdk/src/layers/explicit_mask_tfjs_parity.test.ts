import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { Random } from '../utils/random.js';

// Masks given explicitly (`layer.apply(x, { mask })`) against tfjs-layers 4.22, whose concrete
// `apply(x, { mask })` honours the mask. Its symbolic one does not (a model built that way ignores
// the mask when it predicts or fits, and drops it when saved), so the models here are compared with
// tfjs' layers applied to data, and their training with a tfjs loop over those applies.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [BATCH, STEPS, FEATURES] = [4, 5, 3];
const random = new Random(7);
const xValues = Float32Array.from({ length: BATCH * STEPS * FEATURES }, () => random.uniform(-1, 1));
// Padding at the end, at the start, a hole inside, and none; 2 and 0.5 keep a step (Keras casts masks to booleans).
const maskValues = Float32Array.from([1, 1, 1, 0, 0, 0, 0, 1, 2, 1, 1, 0.5, 0, 1, 1, 1, 1, 1, 1, 1]);
// tfjs' orthogonal initializer needs chained ops it leaves unregistered here; any other draws alike.
const init = { recurrentInitializer: 'glorotUniform' as const };

/** Copies the kerasm layer's weights into the tfjs one, building it first with the same call. */
function sameWeights(ours: km.layers.Layer, theirs: tfl.layers.Layer, x: tf.Tensor, mask: tf.Tensor): void {
  theirs.apply(x, { mask });
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
}

const tfX = () => tf.tensor(xValues, [BATCH, STEPS, FEATURES]);
const tfMask = () => tf.tensor(maskValues, [BATCH, STEPS]);
const kmX = () => km.tensor(xValues, [BATCH, STEPS, FEATURES]);
const kmMask = () => km.tensor(maskValues, [BATCH, STEPS]);

describe('layer.apply(x, { mask }) on data matches tfjs-layers 4.22', () => {
  it.each([
    { name: 'LSTM', ours: () => km.layers.lstm({ units: 4, ...init }), theirs: () => tfl.layers.lstm({ units: 4, ...init }) },
    { name: 'GRU with returnSequences', ours: () => km.layers.gru({ units: 3, returnSequences: true, ...init }), theirs: () => tfl.layers.gru({ units: 3, returnSequences: true, ...init }) },
    { name: 'SimpleRNN with goBackwards', ours: () => km.layers.simpleRNN({ units: 3, goBackwards: true, ...init }), theirs: () => tfl.layers.simpleRNN({ units: 3, goBackwards: true, ...init }) },
    {
      // Keras 3's Bidirectional zeroes a sequence's masked steps (zero_output_for_mask), which tfjs does not.
      name: 'Bidirectional LSTM with returnSequences',
      ours: () => km.layers.bidirectional({ layer: km.layers.lstm({ units: 2, returnSequences: true, ...init }) }),
      theirs: () => tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 2, returnSequences: true, ...init }) as tfl.RNN }),
      zeroMaskedSteps: true,
    },
  ])('$name', ({ ours, theirs, zeroMaskedSteps }) => {
    const [layer, reference] = [ours(), theirs()];
    const unmasked = layer.apply(kmX());
    sameWeights(layer, reference, tfX(), tfMask());
    const y = layer.apply(kmX(), { mask: kmMask() });
    const tfjsOutput = reference.apply(tfX(), { mask: tfMask() }) as tf.Tensor;
    const expected = zeroMaskedSteps ? tf.mul(tfjsOutput, tf.expandDims(tf.cast(tf.notEqual(tfMask(), 0), 'float32'), -1)) : tfjsOutput;
    expect(y.shape).toEqual(expected.shape);
    expectClose(y.dataSync(), expected.dataSync());
    // The mask changes the result: the same call without it differs.
    expect(Math.max(...Array.from(unmasked.dataSync(), (v, i) => Math.abs(v - y.dataSync()[i])))).toBeGreaterThan(1e-3);
  });
});

describe('a mask given as a model input to a recurrent layer matches tfjs applied to data', () => {
  /**
   * x and a 0/1 mask as two model inputs; a Dense per step before the LSTM (so training reaches it
   * through the masked recurrence), the LSTM reads the mask, a Dense reads its last state.
   */
  function maskedModel() {
    const x = km.input({ shape: [STEPS, FEATURES], name: 'x' });
    const keep = km.input({ shape: [STEPS], name: 'keep' });
    const [pre, lstm, dense] = [km.layers.dense({ units: 3, activation: 'tanh' }), km.layers.lstm({ units: 4, ...init }), km.layers.dense({ units: 2 })];
    const model = km.model({ inputs: [x, keep], outputs: dense.apply(lstm.apply(pre.apply(x), { mask: keep })) });
    const [tfPre, tfLstm, tfDense] = [tfl.layers.dense({ units: 3, activation: 'tanh' }), tfl.layers.lstm({ units: 4, ...init }), tfl.layers.dense({ units: 2 })];
    const copy = (ours: km.layers.Layer, theirs: tfl.layers.Layer) => theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    tfPre.apply(tfX());
    copy(pre, tfPre);
    sameWeights(lstm, tfLstm, tfPre.apply(tfX()) as tf.Tensor, tfMask());
    tfDense.apply(tf.zeros([1, 4]));
    copy(dense, tfDense);
    const reference = (xs: tf.Tensor, mask: tf.Tensor) => tfDense.apply(tfLstm.apply(tfPre.apply(xs), { mask }) as tf.Tensor) as tf.Tensor;
    return { model, layers: [pre, lstm, dense], tfLayers: [tfPre, tfLstm, tfDense], reference };
  }

  it('predict', () => {
    const { model, reference } = maskedModel();
    const y = model.predict([kmX(), kmMask()]) as km.Tensor;
    expectClose(y.dataSync(), reference(tfX(), tfMask()).dataSync());
  });

  it('fit: the losses and weights after 4 SGD steps, as a tfjs loop over apply(x, { mask }) with its gradients', async () => {
    const { model, layers, tfLayers, reference } = maskedModel();
    const targets = Float32Array.from({ length: BATCH * 2 }, () => random.uniform(-1, 1));
    model.compile({ optimizer: km.optimizers.sgd(0.5), loss: 'meanSquaredError' });
    const initial = model.getWeights();
    const history = await model.fit([kmX(), kmMask()], km.tensor(targets, [BATCH, 2]), { epochs: 4, batchSize: BATCH, shuffle: false, verbose: 0 });
    const optimizer = tf.train.sgd(0.5);
    const expectedLosses: number[] = [];
    for (let step = 0; step < 4; step++) {
      const loss = optimizer.minimize(() => tf.losses.meanSquaredError(tf.tensor(targets, [BATCH, 2]), reference(tfX(), tfMask())) as tf.Scalar, true);
      expectedLosses.push(loss!.dataSync()[0]);
    }
    expectClose(history.history.loss as number[], expectedLosses);
    // Every layer's weights, the Dense before the LSTM's too: its gradient came back through the masked steps.
    const expectedWeights = tfLayers.flatMap((layer) => layer.getWeights());
    layers.flatMap((layer) => layer.getWeights()).forEach((w, k) => expectClose(w.dataSync(), expectedWeights[k].dataSync()));
    // The mask changed the gradients: the same steps from the same weights without it end elsewhere.
    const unmasked = maskedModel();
    unmasked.model.setWeights(initial);
    unmasked.model.compile({ optimizer: km.optimizers.sgd(0.5), loss: 'meanSquaredError' });
    const plain = await unmasked.model.fit([kmX(), km.tensor(new Float32Array(BATCH * STEPS).fill(1), [BATCH, STEPS])], km.tensor(targets, [BATCH, 2]), { epochs: 4, batchSize: BATCH, shuffle: false, verbose: 0 });
    expect(Math.abs((plain.history.loss as number[])[3] - expectedLosses[3])).toBeGreaterThan(1e-4);
  });

  it('evaluate: a tagger whose mask passes on through returnSequences averages the loss over the kept steps only', async () => {
    const x = km.input({ shape: [STEPS, FEATURES] });
    const keep = km.input({ shape: [STEPS] });
    const gru = km.layers.gru({ units: 3, returnSequences: true, ...init });
    const model = km.model({ inputs: [x, keep], outputs: gru.apply(x, { mask: keep }) });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const tfGru = tfl.layers.gru({ units: 3, returnSequences: true, ...init });
    sameWeights(gru, tfGru, tfX(), tfMask());
    const targets = Float32Array.from({ length: BATCH * STEPS * 3 }, () => random.uniform(-1, 1));
    const y = (tfGru.apply(tfX(), { mask: tfMask() }) as tf.Tensor).dataSync();
    // Keras: the mean over the kept steps of each step's mean squared error.
    let [sum, kept] = [0, 0];
    for (let p = 0; p < BATCH * STEPS; p++) {
      if (maskValues[p] === 0) continue;
      kept += 1;
      for (let u = 0; u < 3; u++) sum += (y[p * 3 + u] - targets[p * 3 + u]) ** 2 / 3;
    }
    const [loss] = await model.evaluate([kmX(), kmMask()], km.tensor(targets, [BATCH, STEPS, 3]), { batchSize: BATCH, verbose: 0 });
    expectClose([loss], [sum / kept]);
  });
});
