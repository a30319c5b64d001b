import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { bruteForceCtc } from '../testing/ctc_reference.js';

// Keras 3's CTC loss through a compiled model: evaluate against the sum over every alignment of the
// model's own logits, labels in any padded width, bad targets refused with errors that say the fix,
// and the loss in a saved training config.
beforeAll(() => km.ready());

const [steps, features, classes] = [4, 2, 3];
const x = km.tensor(Array.from({ length: 5 * steps * features }, (_, i) => Math.sin(1.7 * i)), [5, steps, features]);
const labelRows = [[1, 2], [2], [1, 1], [], [2, 1, 2]];

function labelsOf(rows: number[][], width: number): km.Tensor {
  return km.tensor(Int32Array.from(rows.flatMap((r) => [...r, ...new Array<number>(width - r.length).fill(0)])), [rows.length, width], 'int32');
}

function logitsModel(): km.LayersModel {
  km.utils.setRandomSeed(4);
  return km.sequential([km.layers.dense({ units: classes, inputShape: [steps, features] })]);
}

describe("loss 'ctc'", () => {
  it.each([3, 6])('evaluates to the batch mean of −log p(labels) summed over every alignment (labels padded to width %i)', async (width) => {
    const model = logitsModel();
    model.compile({ optimizer: 'sgd', loss: 'ctc' });
    const logits = Array.from((model.predict(x) as km.Tensor).dataSync());
    const size = steps * classes;
    const expected = labelRows.reduce((s, labels, i) => s + bruteForceCtc(logits.slice(i * size, (i + 1) * size), steps, classes, labels), 0) / labelRows.length;
    expect(await model.evaluate(x, labelsOf(labelRows, width), { verbose: 0 })).toBeCloseTo(expected, 4);
  });

  it('weighs samples by sampleWeight, as Keras weighs the per-sample losses', async () => {
    const model = logitsModel();
    model.compile({ optimizer: 'sgd', loss: km.losses.ctc() });
    const logits = Array.from((model.predict(x) as km.Tensor).dataSync());
    const size = steps * classes;
    const weights = [1, 0, 2, 0.5, 1];
    const expected = labelRows.reduce((s, labels, i) => s + weights[i] * bruteForceCtc(logits.slice(i * size, (i + 1) * size), steps, classes, labels), 0) / labelRows.length;
    expect(await model.evaluate(x, labelsOf(labelRows, 3), { sampleWeight: km.tensor(weights), verbose: 0 })).toBeCloseTo(expected, 4);
  });

  it('trains: one step of SGD lowers the loss', async () => {
    const model = logitsModel();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'ctc' });
    const y = labelsOf(labelRows, 3);
    const history = await model.fit(x, y, { epochs: 5, batchSize: 5, verbose: 0 });
    expect(history.history.loss[4]).toBeLessThan(history.history.loss[0]);
  });
});

describe("loss 'ctc' refuses targets it cannot read", () => {
  const fitWith = (y: km.Tensor, model = logitsModel()) => {
    model.compile({ optimizer: 'sgd', loss: 'ctc' });
    return model.fit(x, y, { verbose: 0 });
  };

  it.each([
    ['labels of rank 1', km.tensor([1, 2, 1, 2, 1], [5], 'int32'), /Loss 'ctc' expects integer labels of shape \[batch, maxLength\] \(0 pads each row after its labels\), but received targets of shape \[5\] \(int32\)\./],
    ['one-hot rows', km.tensor(new Float32Array(5 * steps * classes), [5, steps, classes]), /received targets of shape \[5, 4, 3\] \(float32\)\. These look like one-hot rows: pass the class indices instead\./],
    ['a label ≥ classes', labelsOf([[1, 2], [3], [1], [], [2]], 2), /Label 3 at \[1, 0\] is not a class of the model's 3 outputs: loss 'ctc' takes integer labels 1 to 2, with 0 \(the blank\) as padding\./],
    ['a fractional label', km.tensor([1, 1.5, 2, 0, 1, 0, 1, 0, 1, 0], [5, 2]), /Label 1\.5 at \[0, 1\] is not a class/],
    ['a blank inside the labels', labelsOf([[1, 2], [0, 2], [1], [], [2]], 2), /Labels of sample 1 have the blank 0 at index 0 before label 2 at index 1: loss 'ctc' reads 0 as padding, which must come after all the labels\. Shift the labels up by one/],
  ])('%s', async (_label, y, message) => {
    await expect(fitWith(y)).rejects.toThrow(message);
  });

  it('labels too long for the steps, counting the blank a repeated label needs', async () => {
    // 1 1 2 fits in 4 steps as 1 _ 1 2; 1 1 1 2 would need 1 _ 1 _ 1 2.
    await expect(fitWith(labelsOf([[1, 2], [1, 1, 2], [1], [], [2]], 4))).resolves.toBeDefined();
    await expect(fitWith(labelsOf([[1, 2], [1, 1, 1, 2], [1], [], [2]], 4))).rejects.toThrow(
      /Labels of sample 1 need 6 steps \(4 labels, with a blank between repeated ones\) but the model's output has 4: no alignment exists and the loss would be infinite\. Give the model more output steps/,
    );
  });

  it('an output that is not a sequence of logits', async () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'ctc' });
    await expect(model.fit(km.tensor([1, 2, 3, 4], [2, 2]), labelsOf([[1], [2]], 1), { verbose: 0 })).rejects.toThrow(
      /Loss 'ctc' expects the model's output to be logits of shape \(None, steps, classes\), but it is \(None, 3\)\. End the model with a Dense layer \(no activation\) over a sequence/,
    );
  });

  it('an output of one class (nothing but the blank)', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [steps, features] })]);
    await expect(fitWith(labelsOf(labelRows, 3), model)).rejects.toThrow(/Loss 'ctc' needs at least 2 classes \(class 0 is the blank\), but the model's output has 1\./);
  });

  it("metric 'accuracy', which has no per-step targets to compare with", () => {
    expect(() => logitsModel().compile({ optimizer: 'sgd', loss: 'ctc', metrics: ['accuracy'] })).toThrow(
      "Metric 'accuracy' compares the class at each output step with a target, but loss 'ctc' takes label sequences that are not aligned with the steps. Drop the metric, and measure sequence accuracy on km.utils.ctcDecode's output instead.",
    );
  });

  it('options to km.losses.ctc', () => {
    expect(() => km.losses.ctc({ blank: 3 } as never)).toThrow("km.losses.ctc takes no options (Keras 3's CTC: blank 0, every output step used). Received: blank.");
  });
});

const savedCases: [string, () => string | km.losses.Loss, unknown][] = [
  ['by name', () => 'ctc', 'ctc'],
  ['km.losses.ctc()', () => km.losses.ctc(), { class_name: 'CTC', config: {} }],
];

describe("loss 'ctc' in the saved training config", () => {
  it.each(savedCases)('%s: saved as Keras names it, loaded back to the same loss', async (_label, loss, saved) => {
    const model = logitsModel();
    model.compile({ optimizer: 'adam', loss: loss() });
    const y = labelsOf(labelRows, 3);
    await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
    let artifacts: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (artifacts = a)), { includeOptimizer: true });
    expect(artifacts!.trainingConfig?.loss).toEqual(saved);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts!));
    expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
  });
});
