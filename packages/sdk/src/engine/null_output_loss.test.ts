import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

/** features [3] -> trunk (4) -> score (1) and class (3, softmax); `withScore: false` leaves the score head out. */
function model(withScore = true): km.Functional {
  km.utils.setRandomSeed(3);
  const features = km.input({ shape: [3], name: 'features' });
  const trunk = km.layers.dense({ units: 4, activation: 'tanh', name: 'trunk' }).apply(features);
  const cls = km.layers.dense({ units: 3, activation: 'softmax', name: 'class' }).apply(trunk);
  if (!withScore) return km.model({ inputs: features, outputs: cls });
  const score = km.layers.dense({ units: 1, name: 'score' }).apply(trunk);
  return km.model({ inputs: features, outputs: [score, cls] });
}

const n = 24;
const random = new Random(5);
const x = km.tensor(Array.from({ length: n }, () => [random.uniform(-1, 1), random.uniform(-1, 1), random.uniform(-1, 1)]));
const score = km.tensor(Array.from({ length: n }, () => [random.uniform(-1, 1)]));
const oneHot = km.tensor(Array.from({ length: n }, (_, i) => [0, 1, 2].map((c) => Number(c === i % 3))));

const values = (m: km.LayersModel, name: string) => m.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()));
const fitArgs = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 } as const;

describe("an output compiled with a null loss (Keras' loss=[None, ...])", () => {
  it('trains exactly as a model whose only loss is the other output, and its own head gets no gradient', async () => {
    const reference = model(false);
    reference.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
    const expected = await reference.fit(x, oneHot, fitArgs);

    const twoHeads = model();
    const scoreBefore = values(twoHeads, 'score');
    // The same trunk and class weights (the seed is reset, but the score head draws in between).
    twoHeads.getLayer('trunk').setWeights(model(false).getLayer('trunk').getWeights());
    twoHeads.getLayer('class').setWeights(model(false).getLayer('class').getWeights());
    twoHeads.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: [null, 'categoricalCrossentropy'] });
    const history = await twoHeads.fit(x, [score, oneHot], fitArgs);

    expect(Object.keys(history.history)).toEqual(['loss']);
    history.history.loss.forEach((loss, i) => expect(loss).toBeCloseTo(expected.history.loss[i], 6));
    for (const name of ['trunk', 'class']) {
      values(twoHeads, name).forEach((w, j) => w.forEach((v, i) => expect(v).toBeCloseTo(values(reference, name)[j][i], 6)));
    }
    expect(values(twoHeads, 'score')).toEqual(scoreBefore);
    expect(twoHeads.loss).toBe('categoricalCrossentropy');
  });

  it('takes its targets as null, left out of an object, given (and ignored), or as the other outputs\' targets only', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: [null, 'categoricalCrossentropy'] });
    const expected = await m.evaluate(x, [score, oneHot], { verbose: 0 });
    expect(expected).toHaveLength(1);
    expect(await m.evaluate(x, [null as unknown as km.Tensor, oneHot], { verbose: 0 })).toEqual(expected);
    expect(await m.evaluate(x, { class: oneHot }, { verbose: 0 })).toEqual(expected);
    expect(await m.evaluate(x, [oneHot], { verbose: 0 })).toEqual(expected);
    expect(await m.evaluate(x, oneHot, { verbose: 0 })).toEqual(expected);
    // Its targets are not read, so any shape goes, as in Keras.
    expect(await m.evaluate(x, [km.zeros([n, 7]), oneHot], { verbose: 0 })).toEqual(expected);
    await expect(m.evaluate(x, { score }, { verbose: 0 })).rejects.toThrow(/no entry for 'class'.*Outputs without a loss \['score'\] may go without targets/);
    await expect(m.evaluate(x, [oneHot, null as unknown as km.Tensor], { verbose: 0 })).rejects.toThrow("y[1] ('class') must be a km.Tensor; received null");
  });

  it('keeps its metrics, which then need its targets, and logs a loss per output only for outputs that have one', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: { score: null, class: 'categoricalCrossentropy' }, metrics: { score: ['meanAbsoluteError'], class: ['accuracy'] } });
    const logs = await m.evaluate(x, [score, oneHot], { verbose: 0, returnDict: true });
    expect(Object.keys(logs)).toEqual(['loss', 'score_meanAbsoluteError', 'class_accuracy']);
    const predicted = (m.predict(x) as km.Tensor[])[0].dataSync();
    const mae = Array.from(score.dataSync()).reduce((s, t, i) => s + Math.abs(predicted[i] - t), 0) / n;
    expect(logs.score_meanAbsoluteError).toBeCloseTo(mae, 6);
    await expect(m.evaluate(x, { class: oneHot }, { verbose: 0 })).rejects.toThrow("output 'score' has no loss, but compile gave it the metrics ['meanAbsoluteError']");
    await expect(m.evaluate(x, [km.zeros([n, 2]), oneHot], { verbose: 0 })).rejects.toThrow("y[0] ('score'), the targets of output 'score' (which has no loss, only metrics): its metrics compare the predictions with targets shaped like the output, [24, 1], but received shape [24, 2]");

    const three = (() => {
      const features = km.input({ shape: [3] });
      const heads = ['a', 'b', 'c'].map((name) => km.layers.dense({ units: 1, name }).apply(features));
      return km.model({ inputs: features, outputs: heads });
    })();
    three.compile({ optimizer: 'sgd', loss: ['mse', null, 'mae'] });
    const threeLogs = await three.evaluate(x, [score, null as unknown as km.Tensor, score], { verbose: 0, returnDict: true });
    expect(Object.keys(threeLogs)).toEqual(['loss', 'a_loss', 'c_loss']);
    expect(threeLogs.loss).toBeCloseTo(threeLogs.a_loss + threeLogs.c_loss, 6);
  });

  it('refuses a loss of null for every output, or loss: null, at compile', () => {
    const m = model();
    expect(() => m.compile({ optimizer: 'sgd', loss: [null, null] })).toThrow('compile received loss=[null, null]: no output has a loss, so there is nothing to train.');
    expect(() => m.compile({ optimizer: 'sgd', loss: { score: null, class: null } })).toThrow('compile received loss={ score: null, class: null }: no output has a loss');
    expect(() => m.compile({ optimizer: 'sgd', loss: null as unknown as string })).toThrow("compile received loss=null, but a model needs a loss to train: give a name such as 'meanSquaredError'");
  });

  it('refuses a loss object that leaves an output out, as Keras 3 does for outputs in a list, naming null as the way to give none', () => {
    const m = model();
    expect(() => m.compile({ optimizer: 'sgd', loss: { class: 'categoricalCrossentropy' } })).toThrow(
      "compile loss gives nothing for output 'score'; the model's outputs are ['score', 'class']. Give every output an entry, null for one without a loss (Keras' None): loss: { score: null, class: ... }.",
    );
  });

  it('lets a model with named outputs (Keras 3 dict outputs) leave an output out of the loss object: it has no loss', async () => {
    km.utils.setRandomSeed(3);
    const features = km.input({ shape: [3] });
    const trunk = km.layers.dense({ units: 4, activation: 'tanh' }).apply(features);
    const named = km.model({ inputs: features, outputs: { cls: km.layers.dense({ units: 3, activation: 'softmax' }).apply(trunk), score: km.layers.dense({ units: 1 }).apply(trunk) } });
    named.compile({ optimizer: 'sgd', loss: { cls: 'categoricalCrossentropy' } });
    const partial = await named.evaluate(x, { cls: oneHot }, { verbose: 0 });
    named.compile({ optimizer: 'sgd', loss: { cls: 'categoricalCrossentropy', score: null } });
    expect(await named.evaluate(x, { cls: oneHot, score }, { verbose: 0 })).toEqual(partial);
  });

  it('saves as null in the training config and loads back compiled the same way', async () => {
    const m = model();
    m.compile({ optimizer: km.optimizers.rmsprop({ learningRate: 0.01 }), loss: [null, 'categoricalCrossentropy'], metrics: [['meanAbsoluteError'], []] });
    await m.fit(x, [score, oneHot], { ...fitArgs, epochs: 1 });
    const artifacts = await savedArtifacts(m);
    expect(artifacts.trainingConfig).toMatchObject({ loss: [null, 'categorical_crossentropy'], metrics: { score: 'meanAbsoluteError' } });
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.compileSpec!.loss).toEqual([null, 'categoricalCrossentropy']);
    expect(await loaded.evaluate(x, [score, oneHot], { verbose: 0 })).toEqual(await m.evaluate(x, [score, oneHot], { verbose: 0 }));
    await m.fit(x, [score, oneHot], { ...fitArgs, epochs: 1 });
    await loaded.fit(x, [score, oneHot], { ...fitArgs, epochs: 1 });
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(m.getWeights().map((w) => Array.from(w.dataSync())));
  });
});

describe("per-output metric lists (Keras' metrics=[[...], [...]])", () => {
  it('give each output its list, in output order, as the object keyed by output name does', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: ['mse', 'categoricalCrossentropy'], metrics: [[km.metrics.meanAbsolutePercentageError(), 'mae'], ['accuracy']] });
    const listed = await m.evaluate(x, [score, oneHot], { verbose: 0, returnDict: true });
    m.compile({ optimizer: 'sgd', loss: ['mse', 'categoricalCrossentropy'], metrics: { score: [km.metrics.meanAbsolutePercentageError(), 'mae'], class: ['accuracy'] } });
    const keyed = await m.evaluate(x, [score, oneHot], { verbose: 0, returnDict: true });
    expect(Object.keys(listed)).toEqual(['loss', 'score_loss', 'class_loss', 'score_mean_absolute_percentage_error', 'score_mae', 'class_accuracy']);
    expect(listed).toEqual(keyed);
  });

  it('refuses a list of lists whose length is not the number of outputs', () => {
    const m = model();
    expect(() => m.compile({ optimizer: 'sgd', loss: ['mse', 'categoricalCrossentropy'], metrics: [['mae']] })).toThrow(
      "compile metrics is a list of 1 lists, one per output, but the model has 2 outputs ['score', 'class']. Give one list per output, in that order (null or [] for an output without metrics), or an object keyed by output name.",
    );
  });
});
