import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// TextVectorization in the input pipeline, feeding Embedding → GlobalAveragePooling1D → Dense:
// a tiny synthetic sentiment corpus is learned, from tensors and from a km.data pipeline.
beforeAll(() => km.ready());

const POSITIVE = ['great', 'good', 'lovely', 'excellent', 'fun', 'wonderful'];
const NEGATIVE = ['bad', 'awful', 'boring', 'terrible', 'dull', 'poor'];
const NEUTRAL = ['the', 'movie', 'was', 'plot', 'and', 'acting', 'really', 'a', 'film', 'quite'];

/** `n` sentences of 4 to 8 words: neutral filler plus 1 or 2 sentiment words, with capitals and punctuation to standardize away. */
function corpus(n: number, seed: number): { texts: string[]; labels: number[] } {
  const random = new Random(seed);
  const pick = (words: string[]) => words[Math.floor(random.uniform(0, words.length))];
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const words = Array.from({ length: 3 + Math.floor(random.uniform(0, 4)) }, () => pick(NEUTRAL));
    const mood = label ? POSITIVE : NEGATIVE;
    for (let k = 0; k < 1 + (i % 3 === 0 ? 1 : 0); k++) words.splice(Math.floor(random.uniform(0, words.length + 1)), 0, pick(mood));
    texts.push(`${words[0].toUpperCase()} ${words.slice(1).join(' ')}${i % 4 === 0 ? '!' : '.'}`);
    labels.push(label);
  }
  return { texts, labels };
}

function classifier(vocabularySize: number, length: number): km.Sequential {
  km.utils.setRandomSeed(7);
  const model = km.sequential([
    km.layers.embedding({ inputDim: vocabularySize, outputDim: 8, inputShape: [length] }),
    km.layers.globalAveragePooling1d(),
    km.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('textVectorization → embedding → globalAveragePooling1d → dense', () => {
  it('learns a synthetic sentiment corpus from vectorized tensors, and scores held-out sentences', async () => {
    const train = corpus(300, 1);
    const test = corpus(100, 2);
    const vectorize = km.layers.textVectorization({ maxTokens: 40, outputSequenceLength: 10 });
    await vectorize.adapt(train.texts);
    expect(vectorize.getVocabulary()).not.toContain('Great');
    const model = classifier(vectorize.vocabularySize(), 10);
    const x = vectorize.apply(train.texts);
    expect(x.dtype).toBe('int32');
    await model.fit(x, km.tensor(train.labels, [300, 1]), { epochs: 10, batchSize: 32, verbose: 0, seed: 1 });
    const [, accuracy] = await model.evaluate(vectorize.apply(test.texts), km.tensor(test.labels, [100, 1]), { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.9);
  });

  it('trains from a km.data pipeline that vectorizes each sentence in map', async () => {
    const train = corpus(160, 3);
    const vectorize = km.layers.textVectorization({ outputSequenceLength: 10 });
    await vectorize.adapt(km.data.array(train.texts));
    const model = classifier(vectorize.vocabularySize(), 10);
    const ds = km.data
      .array(train.texts.map((text, i) => ({ text, label: train.labels[i] })))
      .map((e) => ({ xs: vectorize.apply(e.text), ys: [e.label] }))
      .batch(32);
    await model.fit(ds, { epochs: 10, verbose: 0 });
    const [, accuracy] = await model.evaluate(vectorize.apply(train.texts), km.tensor(train.labels, [160, 1]), { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.9);
  });
});
