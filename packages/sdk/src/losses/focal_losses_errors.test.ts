import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Bad options, mismatched targets and weights of the focal, Dice and Tversky losses: each error names what
// was received, what was expected and how to fix it.
beforeAll(() => km.ready());

describe('focal, Dice and Tversky options', () => {
  it.each([
    ['binaryFocalCrossentropy gamma', () => km.losses.binaryFocalCrossentropy({ gamma: -1 }), /km\.losses\.binaryFocalCrossentropy: gamma must be a finite number ≥ 0 \(0 turns the focal factor off\)\. Received: gamma=-1\./],
    ['binaryFocalCrossentropy alpha', () => km.losses.binaryFocalCrossentropy({ alpha: 1.5 }), /alpha must be in \[0, 1\] \(the weight of class 1\)\. Received: alpha=1\.5\./],
    ['binaryFocalCrossentropy applyClassBalancing', () => km.losses.binaryFocalCrossentropy({ applyClassBalancing: 'yes' as unknown as boolean }), /applyClassBalancing must be true or false\. Received: applyClassBalancing="yes"\./],
    ['binaryFocalCrossentropy labelSmoothing', () => km.losses.binaryFocalCrossentropy({ labelSmoothing: 2 }), /labelSmoothing must be in \[0, 1\]\. Received: labelSmoothing=2\./],
    ['binaryFocalCrossentropy snake_case option', () => km.losses.binaryFocalCrossentropy({ apply_class_balancing: true } as never), /has no option 'apply_class_balancing'; did you mean 'applyClassBalancing'\?/],
    ['categoricalFocalCrossentropy alpha list', () => km.losses.categoricalFocalCrossentropy({ alpha: [0.25, 0.5] as unknown as number }), /alpha must be one number; kerasm has no per-class alpha list\. Received: alpha=\[0\.25,0\.5\]\. For per-class weights pass classWeight to fit\(\)/],
    ['categoricalFocalCrossentropy gamma', () => km.losses.categoricalFocalCrossentropy({ gamma: -2 }), /gamma must be a finite number ≥ 0 .*Received: gamma=-2\./],
    ['tversky beta', () => km.losses.tversky({ beta: -0.5 }), /km\.losses\.tversky: beta must be a finite number ≥ 0\. Received: beta=-0\.5\./],
    ['dice options', () => km.losses.dice({ smooth: 1 } as never), /km\.losses\.dice has no option 'smooth'\. Its options are: axis\./],
    ['dice axis', () => km.losses.dice({ axis: [1, 'h'] as never }), /km\.losses\.dice: axis must be null \(the whole batch\), an integer or a list of integers counting the batch as 0, e\.g\. \[1, 2, 3\]\. Received: axis=\[1,"h"\]\./],
  ])('%s', (_label, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('focal, Dice and Tversky targets', () => {
  const x = km.tensor(Array.from({ length: 12 }, (_, i) => i / 12), [4, 3]);
  const softmaxModel = (loss: km.ModelCompileArgs['loss']) => {
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss });
    return model;
  };
  const labels = km.tensor([0, 2, 1, 1], [4], 'int32');

  it('dice on integer class labels points at toCategorical', async () => {
    await expect(softmaxModel('dice').fit(x, labels, { verbose: 0 })).rejects.toThrow(
      /Loss 'dice' expects targets of shape \[4, 3\] \(one row of 3 per sample\), but received targets of shape \[4\] \(int32\), which look like integer class labels\. Dice compares each predicted value with a target mask of the output's shape\. One-hot encode them with km\.utils\.toCategorical\(y, 3\)\./,
    );
  });

  it('categorical focal cross-entropy on integer labels says Keras has no sparse form and points at toCategorical', async () => {
    await expect(softmaxModel('categorical_focal_crossentropy').fit(x, labels, { verbose: 0 })).rejects.toThrow(
      /Loss 'categoricalFocalCrossentropy' expects targets of shape \[4, 3\].*received targets of shape \[4\] \(int32\).*Keras has no sparse focal cross-entropy.*km\.utils\.toCategorical\(y, 3\)/,
    );
  });

  it('binary focal cross-entropy refuses targets outside [0, 1]', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: km.losses.binaryFocalCrossentropy() });
    await expect(model.fit(x, km.tensor([0, 1, 2, 1], [4, 1]), { verbose: 0 })).rejects.toThrow("Loss 'binaryFocalCrossentropy' expects targets in [0, 1] (probabilities of class 1, with label noise a little beyond); value 2 at index 2 is not. Rescale the targets, or for class indices use 'sparseCategoricalCrossentropy'.");
  });

  it('dice over an axis the output does not have names the axes it has', async () => {
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [2, 3] })]);
    model.compile({ optimizer: 'sgd', loss: km.losses.dice({ axis: [1, 3] }) });
    const masks = km.tensor(Array.from({ length: 24 }, (_, i) => i % 2), [4, 2, 3]);
    await expect(model.fit(km.tensor(Array.from({ length: 24 }, (_, i) => i / 24), [4, 2, 3]), masks, { verbose: 0 })).rejects.toThrow(
      "Loss 'dice' with axis=[1,3] on outputs of shape [null, 2, 3]: axis must name distinct axes 0..2 (or −1..−3), counting the batch as 0, e.g. axis: [1, 2] for one overlap per sample.",
    );
  });

  // An overlap over several positions has no one weight among per-position ones; Keras 3 fails to broadcast them too.
  const perStep = (loss: km.losses.Loss, masked: boolean) => {
    const layers = [km.layers.dense({ units: 3, activation: 'sigmoid', ...(masked ? {} : { inputShape: [2, 3] }) })];
    const model = km.sequential(masked ? [km.layers.masking({ maskValue: 0, inputShape: [2, 3] }), ...layers] : layers);
    model.compile({ optimizer: 'sgd', loss });
    return model;
  };
  const steps = km.tensor(Array.from({ length: 24 }, (_, i) => (i < 3 ? 0 : i / 24)), [4, 2, 3]);
  const stepMasks = km.tensor(Array.from({ length: 24 }, (_, i) => i % 2), [4, 2, 3]);

  it('dice per sample after a Masking layer names the mask and the axis that takes it', async () => {
    await expect(perStep(km.losses.dice({ axis: [1, 2] }), true).fit(steps, stepMasks, { verbose: 0 })).rejects.toThrow(
      "Loss 'dice' with axis=[1,2] takes each overlap over several positions of outputs of shape [null, 2, 3], but the output carries a mask, one value per position [batch, 2], so no one weight belongs to an overlap (Keras 3 cannot broadcast the two either). " +
        'Take one overlap per position (axis: -1), or drop the mask (no Masking layer or maskZero before the output).',
    );
  });

  it('tversky per channel over the batch with temporal sample weights asks for one weight per sample', async () => {
    await expect(perStep(km.losses.tversky({ axis: [0, 1] }), false).fit(steps, stepMasks, { sampleWeight: km.tensor(Array.from({ length: 8 }, (_, i) => i), [4, 2]), verbose: 0 })).rejects.toThrow(
      /Loss 'tversky' with axis=\[0,1\] takes each overlap over several samples .*sampleWeight gives one weight per position \[n, 2\].*pass one weight per sample, shape \[n\]\./,
    );
  });

  it('dice with classWeight on a per-position output refuses it, as Keras does', async () => {
    await expect(perStep(km.losses.dice({ axis: -1 }), false).fit(steps, stepMasks, { classWeight: { 0: 1, 1: 2 }, verbose: 0 })).rejects.toThrow(
      /classWeight weighs each sample by its one class, but this model's output \(None, 2, 3\) has a class at each of 2 positions per sample; Keras rejects class_weight here too\./,
    );
  });
});
