import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

// fit(dataset) and evaluate(dataset) against the dataset's size: infinite datasets need a batch
// count (Keras' steps_per_epoch / validation_steps / steps), too few batches give a warning, and
// fit(dataset) takes tfjs' classWeight and validationBatchSize.

const N = 24;
const features = Array.from({ length: N }, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 5) / 5]);
const labels = Array.from({ length: N }, (_, i) => i % 3);
let x: km.Tensor;
let y: km.Tensor;

beforeAll(async () => {
  await km.ready();
  x = km.tensor(features);
  y = km.tensor(labels);
});

function classifier(seed = 1): km.Sequential {
  km.utils.setRandomSeed(seed);
  const model = km.sequential([km.layers.dense({ units: 8, activation: 'relu', inputShape: [3] }), km.layers.dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** The samples as { xs, ys } elements, in order, from `from` to `to`. */
const samples = (from = 0, to = N) => km.data.zip({ xs: km.data.array(features.slice(from, to)), ys: km.data.array(labels.slice(from, to)) });

/** Silences console.warn until `restore`, which returns what was warned. */
function quietWarnings(): { restore: () => string[] } {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  return {
    restore: () => {
      const messages = warn.mock.calls.map((call) => String(call[0]));
      warn.mockRestore();
      return messages;
    },
  };
}

describe('fit(dataset) and evaluate(dataset) on an infinite dataset', () => {
  it('fit refuses it without batchesPerEpoch before reading a batch, as Keras without steps_per_epoch, and trains with it', async () => {
    let opened = 0;
    const endless = km.data.generator(function* () {
      opened++;
      for (let i = 0; i < N; i++) yield { xs: features[i], ys: labels[i] };
    }).repeat().batch(8);
    let began = false;
    const model = classifier();
    await expect(model.fit(endless, { epochs: 2, verbose: 0, callbacks: { onTrainBegin: () => void (began = true) } }))
      .rejects.toThrow(/fit\(dataset\): the dataset is infinite \(size Infinity.*Pass batchesPerEpoch \(Keras' steps_per_epoch\), e\.g\. \{ batchesPerEpoch: 100 \}, or make the dataset finite with \.take\(n\)/);
    await expect(model.fitDataset(samples().batch(8).repeat(), { epochs: 1, verbose: 0 })).rejects.toThrow(/infinite.*batchesPerEpoch/);
    expect(opened).toBe(0);
    expect(began).toBe(false);
    const history = await model.fit(endless, { epochs: 2, batchesPerEpoch: 5, verbose: 0 });
    expect(history.epoch).toEqual([0, 1]);
    expect(history.params.steps).toBe(5);
  });

  it('fit refuses an infinite validation dataset without validationBatches (Keras\' validation_steps), and validates on that many with it', async () => {
    const model = classifier(2);
    const endlessValidation = samples(18).batch(3).repeat();
    await expect(model.fit(samples(0, 18).batch(6), { verbose: 0, validationData: endlessValidation }))
      .rejects.toThrow(/fit\(dataset, \{ validationData \}\): the dataset is infinite.*Pass validationBatches \(Keras' validation_steps\)/);
    const sizes: number[] = [];
    const history = await model.fit(samples(0, 18).batch(6), { verbose: 0, validationData: endlessValidation, validationBatches: 4, callbacks: { onTestBatchEnd: (_, logs) => void sizes.push(logs.size) } });
    expect(sizes).toEqual([3, 3, 3, 3]);
    // Four batches of three read on past the six validation samples: the first two batches twice.
    const [loss] = await model.evaluate(km.tensor([...features.slice(18), ...features.slice(18, 24)]), km.tensor([...labels.slice(18), ...labels.slice(18, 24)]), { verbose: 0 });
    expect(history.history.val_loss[0]).toBeCloseTo(loss, 5);
  });

  it('evaluate refuses it without batches (Keras\' steps), and evaluates that many with it', async () => {
    const model = classifier(3);
    await expect(model.evaluate(samples().batch(8).repeat(), { verbose: 0 })).rejects.toThrow(/evaluate\(dataset\): the dataset is infinite.*Pass batches \(Keras' steps\)/);
    await expect(model.evaluateDataset(samples().batch(8).repeat(), { verbose: 0 })).rejects.toThrow(/infinite/);
    expect(await model.evaluate(samples().batch(8).repeat(), { batches: 3, verbose: 0 })).toEqual(await model.evaluate(x, y, { batchSize: 8, verbose: 0 }));
  });
});

describe('fewer batches than asked', () => {
  it('evaluate warns, as tfjs evaluateDataset does, when the dataset ends before `batches`, and reports what it read', async () => {
    const model = classifier(4);
    const warnings = quietWarnings();
    const short = await model.evaluate(samples().batch(8), { batches: 5, verbose: 0 });
    const enough = await model.evaluate(samples().batch(8), { batches: 3, verbose: 0 });
    const messages = warnings.restore();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/evaluate\(dataset\): batches is 5, but the dataset ran out of data after 3 batches, so the results cover those 3\. Give batches at most/);
    expect(short).toEqual(enough);
  });

  it('fit warns once, not every epoch, when a validation dataset has fewer than validationBatches', async () => {
    const warnings = quietWarnings();
    const history = await classifier(5).fit(samples(0, 18).batch(6), { epochs: 3, verbose: 0, validationData: samples(18).batch(3), validationBatches: 10 });
    const messages = warnings.restore();
    expect(history.history.val_loss).toHaveLength(3);
    expect(messages).toEqual([expect.stringMatching(/validationData \}\): validationBatches is 10, but the dataset ran out of data after 2 batches/)]);
  });

  it('callbacks know the steps per epoch from a known size before the first pass, as tfjs reads dataset.size', async () => {
    const seen: { fit?: number; evaluate?: number } = {};
    let params: { steps: number } | undefined;
    const record = (key: 'fit' | 'evaluate') => ({ setParams: (p: { steps: number }) => void (params = p), onTrainBegin: () => void (seen[key] = params?.steps), onTestBegin: () => void (seen[key] ??= params?.steps) });
    const model = classifier(6);
    await model.fit(samples().batch(5), { verbose: 0, callbacks: record('fit') });
    await model.evaluate(samples().batch(5), { verbose: 0, callbacks: record('evaluate') });
    expect(seen).toEqual({ fit: 5, evaluate: 5 });
  });
});

describe('fit(dataset) classWeight and validationBatchSize, as tfjs fitDataset', () => {
  const classWeight = { 0: 1, 1: 4, 2: 0.5 };

  it('classWeight trains exactly as fit(x, y, { classWeight }) on the same batches, and differs from no weights', async () => {
    const expected = await classifier(7).fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, classWeight, verbose: 0 });
    const viaFit = await classifier(7).fit(samples().batch(8), { epochs: 3, classWeight, verbose: 0 });
    const viaFitDataset = await classifier(7).fitDataset(samples().batch(8), { epochs: 3, classWeight, verbose: 0 });
    expect(viaFit.history.loss).toEqual(expected.history.loss);
    expect(viaFitDataset.history).toEqual(viaFit.history);
    const unweighted = await classifier(7).fit(samples().batch(8), { epochs: 3, verbose: 0 });
    expect(unweighted.history.loss).not.toEqual(viaFit.history.loss);
  });

  it('classWeight leaves validation unweighted, and is refused with sampleWeight in the batches, as fit(x, y) refuses both', async () => {
    const weighted = await classifier(8).fit(samples(0, 18).batch(6), { classWeight, validationData: samples(18).batch(6), verbose: 0 });
    const plain = await classifier(8).fit(samples(0, 18).batch(6), { validationData: samples(18).batch(6), verbose: 0 });
    const model = classifier(8);
    await model.fit(samples(0, 18).batch(6), { classWeight, verbose: 0 });
    expect(weighted.history.val_loss[0]).toBeCloseTo((await model.evaluate(samples(18).batch(6), { verbose: 0 }))[0], 6);
    expect(weighted.history.val_loss[0]).not.toEqual(plain.history.val_loss[0]);
    const withWeights = km.data.zip({ xs: km.data.array(features), ys: km.data.array(labels), sampleWeight: km.data.array(labels.map(() => 1)) }).batch(8);
    await expect(classifier(8).fit(withWeights, { classWeight, verbose: 0 })).rejects.toThrow(/both sampleWeight and classWeight/);
    await expect(classifier(8).fit(samples().batch(8), { classWeight: { 5: 2 }, verbose: 0 })).rejects.toThrow(/classWeight has class 5, but the model's output has 3 classes/);
  });

  it('validationBatchSize batches [x, y] validation tensors, and is refused for a validation dataset, which is already batched', async () => {
    const sizes: number[] = [];
    const valX = x.slice(18, 6);
    const valY = y.slice(18, 6);
    const model = classifier(9);
    const history = await model.fit(samples(0, 18).batch(6), { verbose: 0, validationData: [valX, valY], validationBatchSize: 4, callbacks: { onTestBatchEnd: (_, logs) => void sizes.push(logs.size) } });
    expect(sizes).toEqual([4, 2]);
    expect(history.history.val_loss[0]).toBeCloseTo((await model.evaluate(valX, valY, { verbose: 0 }))[0], 6);
    await expect(model.fit(samples().batch(6), { verbose: 0, validationData: samples(18).batch(3), validationBatchSize: 4 }))
      .rejects.toThrow(/validationBatchSize \(4\) sets the batch size of \[x, y\] validation tensors, but validationData is a dataset.*\.batch\(n\)/);
    await expect(model.fit(samples().batch(6), { verbose: 0, validationData: [valX, valY], validationBatchSize: 0 })).rejects.toThrow(/validationBatchSize must be a positive integer/);
  });
});

describe("Keras' fit options that a dataset carries itself", () => {
  it('validationSplit, batchSize, shuffle and sampleWeight (or Keras’ snake_case) name where each goes, before training', async () => {
    const model = classifier();
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const ds = samples().batch(8);
    await expect(model.fit(ds, { epochs: 1, validationSplit: 0.2 } as never)).rejects.toThrow(/fit\(dataset\) has no option 'validationSplit': a dataset is not split by a fraction: pass the held-out data as validationData/);
    await expect(model.fit(ds, { epochs: 1, validation_split: 0.2 } as never)).rejects.toThrow(/has no option 'validation_split': a dataset is not split by a fraction/);
    await expect(model.fit(ds, { epochs: 1, batchSize: 4 } as never)).rejects.toThrow(/has no option 'batchSize': a dataset's batches are the size its batch\(n\) made them/);
    await expect(model.fit(ds, { epochs: 1, shuffle: true } as never)).rejects.toThrow(/has no option 'shuffle': a dataset shuffles itself: dataset\.shuffle\(bufferSize, seed\)/);
    await expect(model.fit(ds, { epochs: 1, sampleWeight: y } as never)).rejects.toThrow(/has no option 'sampleWeight': a dataset carries its weights in its elements: batches of \{ xs, ys, sampleWeight \}/);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });
});
