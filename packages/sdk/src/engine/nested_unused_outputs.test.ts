import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfjsDigitOnly } from '../testing/nested_heads.js';

/*
 * A model built on some outputs of a model applied inside it (`inner.apply(x)[0]`): as in Keras and
 * tfjs, the nested model is one layer of the outer model and brings all its weights, so the unused
 * head's weights are the outer model's too. No pass computes that head, so training the outer model
 * gives them no gradient and, as Keras skips variables whose gradient is None, leaves them as they are.
 */

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const N = 16;
const xValues = Float32Array.from({ length: N * 6 }, (_, i) => Math.sin(i * 0.37));
const x = km.tensor(xValues, [N, 6]);
const digitTargets = km.tensor(Float32Array.from({ length: N * 3 }, (_, i) => Math.cos(i * 0.9)), [N, 3]);
const parityTargets = km.tensor(Float32Array.from({ length: N }, (_, i) => i % 2), [N, 1]);

const values = (weights: readonly km.Tensor[]) => weights.map((w) => Array.from(w.dataSync()));

/** inner: [6] -> trunk -> { digit_head [3], parity_head [1] }, as a list or an object of outputs. */
function twoHeads(named: boolean): { inner: km.LayersModel; trunk: km.layers.Layer; digitHead: km.layers.Layer; parityHead: km.layers.Layer } {
  const input = km.input({ shape: [6] });
  const trunk = km.layers.dense({ units: 5, activation: 'tanh', name: 'trunk' });
  const digitHead = km.layers.dense({ units: 3, name: 'digit_head' });
  const parityHead = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'parity_head' });
  const h = trunk.apply(input) as km.SymbolicTensor;
  const [digit, parity] = [digitHead.apply(h) as km.SymbolicTensor, parityHead.apply(h) as km.SymbolicTensor];
  const inner = km.model({ inputs: input, outputs: named ? { digit, parity } : [digit, parity], name: 'inner' });
  return { inner, trunk, digitHead, parityHead };
}

/** The outer model, on the digit output of the inner one alone. */
function digitOnly(inner: km.LayersModel, named: boolean): km.LayersModel {
  const x = km.input({ shape: [6] });
  const digit = named ? inner.apply<Record<string, km.SymbolicTensor>>(x).digit : (inner.apply(x) as km.SymbolicTensor[])[0];
  return km.model({ inputs: x, outputs: digit, name: 'outer' });
}

function summaryTotals(model: km.LayersModel): string[] {
  const lines: string[] = [];
  model.summary(undefined, undefined, (line) => lines.push(line));
  return lines.filter((line) => line.includes('params:'));
}

describe('a model built on some outputs of a model nested in it', () => {
  it('lists, counts and returns every weight of the nested model, as tfjs does for the same structure', () => {
    km.utils.setRandomSeed(1);
    const { inner } = twoHeads(false);
    const outer = digitOnly(inner, false);

    const theirs = tfjsDigitOnly();

    // tfjs names a variable 'layer/kernel_1' when it made another of that name; the layer and weight are what count.
    const tfNames = theirs.weights.map((w) => w.originalName);
    expect(tfNames).toEqual(['trunk/kernel', 'trunk/bias', 'digit_head/kernel', 'digit_head/bias', 'parity_head/kernel', 'parity_head/bias']);
    expect(outer.weights.map((w) => w.name)).toEqual(tfNames);
    expect(outer.trainableWeights).toHaveLength(theirs.trainableWeights.length);
    expect(outer.getWeights().map((w) => w.shape)).toEqual(theirs.getWeights().map((w) => w.shape));
    expect(outer.countParams()).toBe(theirs.countParams());
    expect(outer.countParams()).toBe(inner.countParams());
    expect(summaryTotals(outer)).toEqual([`Total params: ${theirs.countParams()}`, `Trainable params: ${theirs.countParams()}`, 'Non-trainable params: 0']);
    expect(values(outer.getWeights())).toEqual(values(inner.getWeights()));
  });

  it('named outputs (Keras 3 dict): the same weights whichever head the outer model uses', () => {
    km.utils.setRandomSeed(2);
    const { inner } = twoHeads(true);
    const outer = digitOnly(inner, true);
    expect(outer.weights.map((w) => w.name)).toEqual(inner.weights.map((w) => w.name));
    expect(outer.countParams()).toBe(inner.countParams());
    // setWeights takes the whole list, the unused head's included.
    const replaced = inner.getWeights().map((w, i) => km.tensor(Float32Array.from({ length: w.size }, (_, k) => (i + 1) * 0.01 * (k + 1)), w.shape));
    outer.setWeights(replaced);
    expect(values(inner.getWeights())).toEqual(values(replaced));
  });

  for (const [title, optimizer] of [
    ['adam, shared with the nested model (its moments for the unused head are not applied)', 'shared'],
    ['adamw with weightDecay (no decay without a gradient)', 'adamw'],
  ] as const) {
    it(`training the outer model with ${title} leaves the unused head untouched and keeps it`, async () => {
      for (const named of [false, true]) {
        km.utils.setRandomSeed(3);
        const { inner, trunk, digitHead, parityHead } = twoHeads(named);
        const outer = digitOnly(inner, named);
        const adam = km.optimizers.adam({ learningRate: 0.05 });
        if (optimizer === 'shared') {
          // Training the inner model first gives the parity head Adam moments in the shared optimizer.
          inner.compile({ optimizer: adam, loss: ['meanSquaredError', 'binaryCrossentropy'] });
          await inner.fit(x, [digitTargets, parityTargets], { epochs: 2, batchSize: 8, verbose: 0 });
        }
        const parityBefore = values(parityHead.getWeights());
        const [trunkBefore, digitBefore] = [values(trunk.getWeights()), values(digitHead.getWeights())];
        outer.compile({ optimizer: optimizer === 'shared' ? adam : km.optimizers.adamw({ learningRate: 0.05, weightDecay: 0.5 }), loss: 'meanSquaredError' });
        await outer.fit(x, digitTargets, { epochs: 3, batchSize: 8, verbose: 0 });
        expect(values(trunk.getWeights())).not.toEqual(trunkBefore);
        expect(values(digitHead.getWeights())).not.toEqual(digitBefore);
        expect(values(parityHead.getWeights())).toEqual(parityBefore);
        // The outer model still holds and returns them.
        expect(values(outer.getWeights()).slice(-2)).toEqual(parityBefore);
        const parity = named ? inner.predict<Record<string, km.Tensor>>(x).parity : inner.predict<km.Tensor[]>(x)[1];
        expect(parity.shape).toEqual([N, 1]);
      }
    });
  }

  it('stacked in a Sequential model, it brings all its weights too, as in tfjs, and training leaves the unused head alone', async () => {
    km.utils.setRandomSeed(5);
    const { inner, parityHead } = twoHeads(false);
    const stack = km.sequential({ layers: [digitOnly(inner, false), km.layers.dense({ units: 2, name: 'top' })] });
    const theirs = tfl.sequential({ layers: [tfjsDigitOnly(), tfl.layers.dense({ units: 2, name: 'top' })] });
    expect(stack.weights.map((w) => w.name)).toEqual(theirs.weights.map((w) => w.originalName));
    expect(stack.countParams()).toBe(theirs.countParams());
    expect(summaryTotals(stack)[0]).toBe(`Total params: ${theirs.countParams()}`);

    const parityBefore = values(parityHead.getWeights());
    stack.compile({ optimizer: km.optimizers.adamw({ learningRate: 0.05, weightDecay: 0.5 }), loss: 'meanSquaredError' });
    await stack.fit(x, km.tensor(Float32Array.from({ length: N * 2 }, (_, i) => Math.cos(i)), [N, 2]), { epochs: 2, batchSize: 8, verbose: 0 });
    expect(values(parityHead.getWeights())).toEqual(parityBefore);
  });

  it('trains as tfjs trains the same structure with Adam: every weight agrees, the unused head unchanged in both', async () => {
    km.utils.setRandomSeed(4);
    const { inner } = twoHeads(false);
    const outer = digitOnly(inner, false);
    const theirs = tfjsDigitOnly();
    theirs.setWeights(outer.getWeights().map((w) => tf.tensor(w.dataSync() as Float32Array, [...w.shape])));
    const initial = values(outer.getWeights());

    outer.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    await outer.fit(x, digitTargets, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    await theirs.fit(tf.tensor(xValues, [N, 6]), tf.tensor(digitTargets.dataSync() as Float32Array, [N, 3]), { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });

    const [ours, tfjs] = [values(outer.getWeights()), theirs.getWeights().map((w) => Array.from(w.dataSync()))];
    expect(ours).toHaveLength(tfjs.length);
    // Adam's steps are about ±learningRate whatever the gradient's size, so float rounding shows at 1e-4.
    ours.forEach((w, i) => w.forEach((v, k) => expect(Math.abs(v - tfjs[i][k])).toBeLessThan(1e-3)));
    expect(ours[0]).not.toEqual(initial[0]);
    expect(tfjs.slice(-2)).toEqual(initial.slice(-2));
    expect(ours.slice(-2)).toEqual(initial.slice(-2));
  });
});
