import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { paddedSequences } from '../testing/padded_sequences.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

// A per-step tagger on padded sequences: padding changes neither its loss nor its training, and its
// metrics count only the real steps.
const VOCABULARY = 7;
const TAGS = 3;

function tagger(steps: number, seed: number): km.LayersModel {
  km.utils.setRandomSeed(seed);
  return km.sequential([
    km.layers.embedding({ inputDim: VOCABULARY, outputDim: 4, inputShape: [steps], maskZero: true }),
    km.layers.lstm({ units: 5, returnSequences: true }),
    km.layers.dense({ units: TAGS, activation: 'softmax' }),
  ]);
}

/** Each token's tag is a function of the token, so the tagger can learn it; padding gets arbitrary tags. */
function taggedData(n: number, steps: number, seed: number) {
  const { tokens, lengths } = paddedSequences(n, steps, VOCABULARY, 1, seed);
  const random = new Random(seed + 1);
  const tags = Int32Array.from(tokens, (t) => (t === 0 ? Math.floor(random.uniform(0, TAGS)) : t % TAGS));
  return { tokens, tags, lengths };
}

/** The same samples with `extra` more padding steps at the end, whose tags are arbitrary too. */
function padMore(values: Int32Array, n: number, steps: number, extra: number, fill: (i: number) => number): Int32Array {
  const out = new Int32Array(n * (steps + extra));
  for (let b = 0; b < n; b++) {
    out.set(values.subarray(b * steps, (b + 1) * steps), b * (steps + extra));
    for (let s = steps; s < steps + extra; s++) out[b * (steps + extra) + s] = fill(b * 31 + s);
  }
  return out;
}

describe('a per-step tagger on masked data', () => {
  it('more padding changes neither the loss nor the weights after 3 SGD epochs (loss padding invariance)', async () => {
    const n = 8;
    const { tokens, tags } = taggedData(n, 5, 3);
    const [short, long] = [tagger(5, 9), tagger(9, 9)];
    long.setWeights(short.getWeights());
    const longTokens = padMore(tokens, n, 5, 4, () => 0);
    const longTags = padMore(tags, n, 5, 4, (i) => i % TAGS);
    const fitted: number[][] = [];
    for (const [model, x, y, steps] of [[short, tokens, tags, 5], [long, longTokens, longTags, 9]] as const) {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(km.tensor(x, [n, steps], 'int32'), km.tensor(y, [n, steps], 'int32'), { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
      fitted.push([...history.history.loss, ...history.history.acc ?? history.history.accuracy]);
    }
    fitted[1].forEach((v, i) => expect(v).toBeCloseTo(fitted[0][i], 5));
    const shortWeights = short.getWeights();
    long.getWeights().forEach((w, i) => w.dataSync().forEach((v, j) => expect(v).toBeCloseTo(shortWeights[i].dataSync()[j], 5)));
  });

  it('learns the tags, and accuracy, top-k and MAE count only the unmasked steps (a host loop over the predictions)', async () => {
    const n = 32;
    const steps = 6;
    const { tokens, tags } = taggedData(n, steps, 5);
    const model = tagger(steps, 2);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', km.metrics.topKCategoricalAccuracy({ k: 2, name: 'top2' })] });
    const x = km.tensor(tokens, [n, steps], 'int32');
    const y = km.tensor(tags, [n, steps], 'int32');
    const history = await model.fit(x, y, { epochs: 25, batchSize: 8, verbose: 0 });
    expect(history.history.loss.at(-1)!).toBeLessThan(history.history.loss[0] / 3);

    const p = model.predict(x).dataSync();
    let hits = 0;
    let top2 = 0;
    let real = 0;
    for (let r = 0; r < n * steps; r++) {
      if (tokens[r] === 0) continue;
      real++;
      const row = Array.from(p.subarray(r * TAGS, (r + 1) * TAGS));
      if (row.indexOf(Math.max(...row)) === tags[r]) hits++;
      if (row.filter((v) => v > row[tags[r]]).length < 2) top2++;
    }
    const [, accuracy, topK] = await model.evaluate(x, y, { batchSize: n, verbose: 0 });
    expect(accuracy).toBeCloseTo(hits / real, 6);
    expect(topK).toBeCloseTo(top2 / real, 6);
    expect(accuracy).toBeGreaterThan(0.9);

    // Element metrics over one-hot rows: only the real steps' values.
    const oneHot = km.utils.toCategorical(y, TAGS);
    const mseModel = tagger(steps, 2);
    mseModel.setWeights(model.getWeights());
    mseModel.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae', 'binaryAccuracy'] });
    const t = oneHot.dataSync();
    let absolute = 0;
    let binaryHits = 0;
    for (let i = 0; i < p.length; i++) {
      if (tokens[Math.floor(i / TAGS)] === 0) continue;
      absolute += Math.abs(p[i] - t[i]);
      if ((p[i] > 0.5 ? 1 : 0) === t[i]) binaryHits++;
    }
    const [, mae, binaryAccuracy] = await mseModel.evaluate(x, oneHot, { batchSize: 5, verbose: 0 });
    expect(mae).toBeCloseTo(absolute / (real * TAGS), 5);
    expect(binaryAccuracy).toBeCloseTo(binaryHits / (real * TAGS), 5);
  });
  it('losses as metrics average the unmasked steps only: the cross-entropy metric is the loss, KLD a host loop', async () => {
    const n = 12;
    const steps = 5;
    const { tokens, tags } = taggedData(n, steps, 8);
    const model = tagger(steps, 4);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['sparse_categorical_crossentropy'] });
    const x = km.tensor(tokens, [n, steps], 'int32');
    const y = km.tensor(tags, [n, steps], 'int32');
    // In one batch the metric is the masked loss; over several, Keras' metric weighs each real step
    // once where the loss weighs each batch's mean by its samples.
    const [loss, metric] = await model.evaluate(x, y, { batchSize: n, verbose: 0 });
    expect(metric).toBeCloseTo(loss, 5);

    const oneHot = km.utils.toCategorical(y, TAGS);
    const soft = km.tensor(Float32Array.from(oneHot.dataSync(), (t) => 0.1 + 0.7 * t), [n, steps, TAGS]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['kld'] });
    const p = model.predict(x).dataSync();
    const t = soft.dataSync();
    let divergence = 0;
    let real = 0;
    for (let r = 0; r < n * steps; r++) {
      if (tokens[r] === 0) continue;
      real++;
      for (let j = 0; j < TAGS; j++) divergence += t[r * TAGS + j] * Math.log(t[r * TAGS + j] / p[r * TAGS + j]);
    }
    const [, kld] = await model.evaluate(x, soft, { batchSize: 5, verbose: 0 });
    expect(real).toBeLessThan(n * steps);
    expect(kld).toBeCloseTo(divergence / real, 5);
  });
});

describe('masked losses and temporal weights: bad input gets a clear error', () => {
  it('a temporal sampleWeight of the wrong shape names both forms', async () => {
    const model = tagger(4, 1);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = km.tensor([1, 2, 0, 0, 3, 1, 2, 0], [2, 4], 'int32');
    const y = km.tensor([0, 1, 0, 0, 2, 1, 0, 0], [2, 4], 'int32');
    await expect(model.fit(x, y, { sampleWeight: km.tensor([1, 1, 1, 1, 1, 1], [2, 3]), verbose: 0 })).rejects.toThrow(
      /sampleWeight must hold one weight per sample, shape \[2\], or one per position of the output, shape \[2, 4\]; received shape \[2, 3\]/,
    );
    await expect(model.evaluate(x, y, { sampleWeight: km.tensor([1, -1, 1, 1, 1, 1, 1, 1], [2, 4]), verbose: 0 })).rejects.toThrow(/sampleWeight\[1\] must be a finite, non-negative number. Received: -1/);
    const flat = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    flat.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(flat.fit(km.tensor([1, 2, 3, 4, 5, 6], [2, 3]), km.tensor([1, 2, 3, 4], [2, 2]), { sampleWeight: km.tensor([1, 1, 1, 1], [2, 2]), verbose: 0 })).rejects.toThrow(
      /sampleWeight must hold one weight per sample, shape \[2\]; received shape \[2, 2\]/,
    );
  });

  it('a mask that does not have one value per output position is refused, naming the layers', async () => {
    const model = km.sequential([
      km.layers.masking({ inputShape: [3, 2, 2], name: 'pad' }),
      km.layers.timeDistributed({ layer: km.layers.flatten(), name: 'per_step' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(km.tensor(new Float32Array(24).fill(1), [2, 3, 2, 2]), km.tensor(new Float32Array(24).fill(1), [2, 3, 4]), { verbose: 0 })).rejects.toThrow(
      /carries the mask of layer 'pad' \(Masking\), which has 6 steps per sample, but the loss is taken at 3 positions per sample/,
    );
  });
});
