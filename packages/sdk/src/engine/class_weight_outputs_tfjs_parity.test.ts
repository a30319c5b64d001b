import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// tfjs-layers 4.22 takes classWeight per output (a list in output order, or an object keyed by
// output name) and weighs each output's loss by the class of its own targets, so it is the
// reference for a two-output model: the same starting weights, a few SGD steps, the same losses
// and weights afterwards.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [N, IN, CLASSES] = [24, 4, 3];
const random = new Random(11);
const xs = Float32Array.from({ length: N * IN }, () => random.uniform(-2, 2));
const speciesLabels = Array.from({ length: N }, (_, i) => (i * 7) % CLASSES);
const speciesOneHot = Float32Array.from({ length: N * CLASSES }, (_, j) => (speciesLabels[Math.floor(j / CLASSES)] === j % CLASSES ? 1 : 0));
const flags = Float32Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 1 : 0));

function ourModel(): km.LayersModel {
  const x = km.input({ shape: [IN] });
  const hidden = km.layers.dense({ units: 5, activation: 'tanh', name: 'hidden' }).apply(x) as km.SymbolicTensor;
  const species = km.layers.dense({ units: CLASSES, activation: 'softmax', name: 'species' }).apply(hidden) as km.SymbolicTensor;
  const flag = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'flag' }).apply(hidden) as km.SymbolicTensor;
  const model = km.model({ inputs: x, outputs: [species, flag] });
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: ['categoricalCrossentropy', 'binaryCrossentropy'] });
  return model;
}

function theirModel(from: km.LayersModel): tfl.LayersModel {
  const x = tfl.input({ shape: [IN] });
  const hidden = tfl.layers.dense({ units: 5, activation: 'tanh', name: 'hidden' }).apply(x) as tfl.SymbolicTensor;
  const species = tfl.layers.dense({ units: CLASSES, activation: 'softmax', name: 'species' }).apply(hidden) as tfl.SymbolicTensor;
  const flag = tfl.layers.dense({ units: 1, activation: 'sigmoid', name: 'flag' }).apply(hidden) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: [species, flag] });
  model.compile({ optimizer: tf.train.sgd(0.5), loss: ['categoricalCrossentropy', 'binaryCrossentropy'] });
  model.setWeights(from.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  return model;
}

function maxAbsDiff(ours: km.Tensor[], theirs: tf.Tensor[]): number {
  expect(ours.map((w) => w.shape)).toEqual(theirs.map((w) => w.shape));
  return Math.max(...ours.map((w, i) => {
    const t = theirs[i].dataSync();
    return Math.max(...Array.from(w.dataSync(), (v, j) => Math.abs(v - t[j])));
  }));
}

const fitArgs = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 } as const;
const ourTargets = () => [km.tensor(speciesOneHot, [N, CLASSES]), km.tensor(flags, [N, 1])];

// tfjs wants a weight for every class present in the targets; kerasm lets a left-out class weigh 1.
const cases: { name: string; classWeight: km.ModelFitArgs['classWeight'] }[] = [
  { name: 'a list, one per output', classWeight: [{ 0: 1, 1: 3, 2: 0.5 }, { 0: 0.5, 1: 4 }] },
  { name: 'an object keyed by output name, for one output only', classWeight: { flag: { 0: 1, 1: 6 } } },
  { name: 'a list with null for the unweighted output', classWeight: [{ 0: 2, 1: 0.25, 2: 1 }, null] },
];

describe('classWeight per output against tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: the epoch losses, each output\'s loss and the weights after SGD match', async ({ classWeight }) => {
    km.utils.setRandomSeed(5);
    const ours = ourModel();
    const theirs = theirModel(ours);
    const history = await ours.fit(km.tensor(xs, [N, IN]), ourTargets(), { ...fitArgs, classWeight });
    // tfjs' types take no null in the list; its standardizeWeights leaves such an output unweighted.
    const reference = await theirs.fit(tf.tensor(xs, [N, IN]), [tf.tensor(speciesOneHot, [N, CLASSES]), tf.tensor(flags, [N, 1])], { ...fitArgs, classWeight: classWeight as tfl.ClassWeightMap });
    for (const key of ['loss', 'species_loss', 'flag_loss']) {
      const expected = reference.history[key] as number[];
      expect(expected).toHaveLength(3);
      history.history[key].forEach((value, epoch) => expect(Math.abs(value - expected[epoch])).toBeLessThan(1e-5));
    }
    expect(maxAbsDiff(ours.getWeights(), theirs.getWeights())).toBeLessThan(1e-5);

    // And the weights did matter: unweighted training ends elsewhere.
    km.utils.setRandomSeed(5);
    const plain = ourModel();
    await plain.fit(km.tensor(xs, [N, IN]), ourTargets(), fitArgs);
    expect(maxAbsDiff(plain.getWeights(), theirs.getWeights())).toBeGreaterThan(1e-3);
  });

  it('validationSplit holds out samples that classWeight does not weigh, as in tfjs and Keras 3', async () => {
    km.utils.setRandomSeed(9);
    const ours = ourModel();
    const theirs = theirModel(ours);
    const classWeight: Record<number, number>[] = [{ 0: 1, 1: 3, 2: 0.5 }, { 0: 0.5, 1: 4 }];
    const args = { ...fitArgs, validationSplit: 0.25 };
    const history = await ours.fit(km.tensor(xs, [N, IN]), ourTargets(), { ...args, classWeight });
    const reference = await theirs.fit(tf.tensor(xs, [N, IN]), [tf.tensor(speciesOneHot, [N, CLASSES]), tf.tensor(flags, [N, 1])], { ...args, classWeight });
    for (const key of ['loss', 'species_loss', 'flag_loss']) {
      (reference.history[key] as number[]).forEach((expected, epoch) => expect(Math.abs(history.history[key][epoch] - expected)).toBeLessThan(1e-5));
    }
    // tfjs 4.22 logs a multi-output model's validation losses under shifted keys, so the held-out
    // losses are checked against evaluate on the last 6 samples, unweighted, after the last epoch.
    const held = (t: km.Tensor) => t.slice([18, 0], [6, t.shape[1]]);
    const [heldSpecies, heldFlag] = ourTargets().map(held);
    const unweighted = (await ours.evaluate(held(km.tensor(xs, [N, IN])), [heldSpecies, heldFlag], { verbose: 0, returnDict: true })) as Record<string, number>;
    for (const key of ['loss', 'species_loss', 'flag_loss']) expect(history.history[`val_${key}`][2]).toBeCloseTo(unweighted[key], 5);
    const totals = (reference.history.val_loss as number[]).concat(reference.history.val_species_loss as number[]);
    expect(totals.some((value) => Math.abs(value - history.history.val_loss[2]) < 1e-5)).toBe(true);
  });

  it('fit(dataset) and trainOnBatch weigh each output as fit(x, y) does', async () => {
    const classWeight = { species: { 0: 1, 1: 3 }, flag: { 1: 5 } };
    const trained = async (train: (model: km.LayersModel) => Promise<unknown>) => {
      km.utils.setRandomSeed(8);
      const model = ourModel();
      await train(model);
      return model.getWeights();
    };
    const viaFit = await trained((m) => m.fit(km.tensor(xs, [N, IN]), ourTargets(), { ...fitArgs, epochs: 1, classWeight }));
    const rows = Array.from({ length: N }, (_, i) => Array.from(xs.subarray(i * IN, (i + 1) * IN)));
    const dataset = km.data.zip({
      xs: km.data.array(rows),
      ys: { species: km.data.array(speciesLabels.map((c) => Array.from({ length: CLASSES }, (_, j) => (j === c ? 1 : 0)))), flag: km.data.array(Array.from(flags, (f) => [f])) },
    }).batch(8);
    const viaDataset = await trained((m) => m.fit(dataset, { epochs: 1, verbose: 0, classWeight }));
    const viaOnBatch = await trained(async (m) => {
      for (let start = 0; start < N; start += 8) {
        const [species, flag] = ourTargets();
        await m.trainOnBatch(km.tensor(xs.slice(start * IN, (start + 8) * IN), [8, IN]), [species.slice([start, 0], [8, CLASSES]), flag.slice([start, 0], [8, 1])], { classWeight });
      }
    });
    const unweighted = await trained((m) => m.fit(km.tensor(xs, [N, IN]), ourTargets(), { ...fitArgs, epochs: 1 }));
    const diff = (a: km.Tensor[], b: km.Tensor[]) => Math.max(...a.map((w, i) => Math.max(...Array.from(w.dataSync(), (v, j) => Math.abs(v - b[i].dataSync()[j])))));
    expect(diff(viaDataset, viaFit)).toBeLessThan(1e-6);
    expect(diff(viaOnBatch, viaFit)).toBeLessThan(1e-6);
    expect(diff(unweighted, viaFit)).toBeGreaterThan(1e-3);
  });

  it('weightedMetrics of each output count its own class weights', async () => {
    km.utils.setRandomSeed(4);
    const model = ourModel();
    // A learning rate of 0 keeps the predictions the metrics saw.
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0 }), loss: ['categoricalCrossentropy', 'binaryCrossentropy'], metrics: [['accuracy'], ['accuracy']], weightedMetrics: [['accuracy'], ['accuracy']] });
    const history = await model.fit(km.tensor(xs, [N, IN]), ourTargets(), { ...fitArgs, epochs: 1, classWeight: { flag: { 0: 1, 1: 3 } } });
    const logs = Object.fromEntries(Object.entries(history.history).map(([key, values]) => [key, values[0]]));
    // species has no class weights: its weighted accuracy is its accuracy.
    expect(logs.species_weighted_accuracy).toBeCloseTo(logs.species_accuracy, 6);
    // flag counts each positive three times.
    const predicted = (model.predict(km.tensor(xs, [N, IN])) as km.Tensor[])[1].dataSync();
    const hit = (i: number) => ((predicted[i] > 0.5 ? 1 : 0) === flags[i] ? 1 : 0);
    const weight = (i: number) => (flags[i] === 1 ? 3 : 1);
    const indices = Array.from({ length: N }, (_, i) => i);
    const expected = indices.reduce((s, i) => s + weight(i) * hit(i), 0) / indices.reduce((s, i) => s + weight(i), 0);
    expect(logs.flag_weighted_accuracy).toBeCloseTo(expected, 6);
    expect(logs.flag_accuracy).toBeCloseTo(indices.reduce((s, i) => s + hit(i), 0) / N, 6);
    expect(Math.abs(logs.flag_weighted_accuracy - logs.flag_accuracy)).toBeGreaterThan(0.01);
  });
});

describe('classWeight per output: errors name the outputs and the fix', () => {
  const x = km.tensor(xs, [N, IN]);
  const fit = (classWeight: unknown, extra: km.ModelFitArgs = {}) => ourModel().fit(x, ourTargets(), { verbose: 0, ...extra, classWeight: classWeight as km.ModelFitArgs['classWeight'] });

  it('an object naming an unknown output lists the output names', async () => {
    await expect(fit({ spcies: { 0: 2 } })).rejects.toThrow("classWeight names ['spcies'], which is not an output of the model; its outputs are ['species', 'flag']. Key classWeight by those names (see model.outputNames)");
  });

  it('a list of the wrong length, and one output\'s class weights for two outputs', async () => {
    await expect(fit([{ 0: 1 }])).rejects.toThrow("classWeight is a list of 1, but the model has 2 outputs ['species', 'flag']. Give a list of 2 (one per output, in that order; null for an output left unweighted) or an object keyed by output name, e.g. { species: { 0: 1, 1: 5 } }.");
    await expect(fit({ 0: 1, 1: 2 })).rejects.toThrow(/classWeight \{"0":1,"1":2\} gives weights for one output's classes, but the model has 2 outputs \['species', 'flag'\], so it is unclear which it weighs/);
    await expect(fit([{ 0: 1 }, 3])).rejects.toThrow("classWeight[1] ('flag') must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }, or null; received number.");
  });

  it('a class the output does not have, and a weight that is not finite, name the output', async () => {
    await expect(fit({ species: { 3: 2 } })).rejects.toThrow("classWeight['species'] has class 3, but output 'species' has 3 classes (0..2), so no sample would get its weight. Give weights for classes 0..2; classes left out weigh 1.");
    await expect(fit([null, { 2: 1 }])).rejects.toThrow("classWeight['flag'] has class 2, but output 'flag' has 2 classes (0..1)");
    await expect(fit({ flag: { 1: Number.POSITIVE_INFINITY } })).rejects.toThrow("classWeight['flag'][1] must be a finite, non-negative number. Received: Infinity.");
    await expect(fit({ flag: { 1: -1 } })).rejects.toThrow("classWeight['flag'][1] must be a finite, non-negative number. Received: -1.");
  });

  it('sampleWeight with classWeight is still refused', async () => {
    await expect(fit({ flag: { 1: 2 } }, { sampleWeight: new Float32Array(N).fill(1) })).rejects.toThrow(/both sampleWeight and classWeight/);
  });

  it('an output with a class at each step, or one with no loss and no metrics, is refused by name', async () => {
    const input = km.input({ shape: [3, IN] });
    const tags = km.layers.dense({ units: 2, activation: 'softmax', name: 'tags' }).apply(input) as km.SymbolicTensor;
    const pooled = km.layers.flatten().apply(input) as km.SymbolicTensor;
    const label = km.layers.dense({ units: 2, activation: 'softmax', name: 'label' }).apply(pooled) as km.SymbolicTensor;
    const model = km.model({ inputs: input, outputs: [tags, label] });
    model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy'] });
    const seqX = km.tensor(new Float32Array(4 * 3 * IN), [4, 3, IN]);
    const ys = [km.tensor(new Int32Array(12), [4, 3], 'int32'), km.tensor(new Int32Array(4), [4], 'int32')];
    await expect(model.fit(seqX, ys, { verbose: 0, classWeight: { tags: { 0: 2 } } })).rejects.toThrow("classWeight weighs each sample by its one class, but output 'tags' (None, 3, 2) has a class at each of 3 positions per sample; Keras rejects class_weight here too. Leave 'tags' out of classWeight");
    await expect(model.fit(seqX, ys, { verbose: 0, epochs: 1, classWeight: { label: { 0: 2 } } })).resolves.toBeDefined();

    model.compile({ optimizer: 'sgd', loss: [null, 'sparseCategoricalCrossentropy'] });
    await expect(model.fit(seqX, [ys[1]], { verbose: 0, classWeight: { tags: { 0: 2 } } })).rejects.toThrow("classWeight gives class weights for output 'tags', which has no loss and no metrics, so nothing would read them. Leave it out of classWeight (null in a list).");
  });

  it('a model with one output takes its class weights alone, in a list of one, or keyed by its name, as tfjs does', async () => {
    const single = () => {
      km.utils.setRandomSeed(2);
      const model = km.sequential([km.layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [IN], name: 'only' })]);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
      return model;
    };
    const weightsAfter = async (classWeight: km.ModelFitArgs['classWeight']) => {
      const model = single();
      await model.fit(x, ourTargets()[0], { ...fitArgs, classWeight });
      return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    };
    const alone = await weightsAfter({ 0: 1, 2: 4 });
    expect(await weightsAfter([{ 0: 1, 2: 4 }])).toEqual(alone);
    expect(await weightsAfter({ only: { 0: 1, 2: 4 } })).toEqual(alone);
    expect(await weightsAfter(undefined)).not.toEqual(alone);
    await expect(weightsAfter({ other: { 0: 1 } })).rejects.toThrow("classWeight names ['other'], which is not an output of the model; its outputs are ['only']");
  });
});
