import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// TextVectorization against Keras 3 written as naive references on a hand-made corpus:
// standardize, split, n-grams, vocabulary order, indices with padding and truncation, the
// encodings with Keras' idf formula, configs, and the errors.
beforeAll(() => km.ready());

// A restored layer may be ragged, so its apply is typed km.Tensor | Int32Array[]; these configs are not.
const values = (t: km.Tensor | Int32Array[]) => {
  if (!(t instanceof km.Tensor)) throw new Error('expected a km.Tensor, not ragged rows');
  return Array.from(t.dataSync());
};

// Python's string.punctuation, which Keras' regex strips.
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Keras' default steps, written out: lower A-Z, drop string.punctuation, split on runs of ASCII whitespace. */
function naiveTokens(text: string): string[] {
  let out = '';
  for (const ch of text) {
    if (PUNCTUATION.includes(ch)) continue;
    out += ch >= 'A' && ch <= 'Z' ? String.fromCharCode(ch.charCodeAt(0) + 32) : ch;
  }
  const tokens: string[] = [];
  let word = '';
  for (const ch of out + ' ') {
    if (' \t\n\r\v\f'.includes(ch)) {
      if (word) tokens.push(word);
      word = '';
    } else word += ch;
  }
  return tokens;
}

/** Adapt as Keras: counts, ties by the larger token (ASCII here, so '<' is byte order). */
function naiveVocabulary(documents: string[][]): string[] {
  const counts = new Map<string, number>();
  for (const doc of documents) for (const t of doc) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? 1 : a > b ? -1 : 0));
}

const corpus = ['The cat sat.', 'The DOG sat, the dog ran!', "A cat's\ttoy;  the\nend", 'dog-eat-dog world?'];

describe('TextVectorization', () => {
  it("standardizes as Keras: lowers A-Z only and strips exactly Python's string.punctuation", () => {
    const vectorize = km.layers.textVectorization();
    expect(vectorize.tokenize(`Hello, ${PUNCTUATION}World!`)).toEqual(['hello', 'world']);
    // Non-ASCII letters keep their case (tf.strings.lower without an encoding); non-ASCII punctuation stays.
    expect(vectorize.tokenize('ÉCOLE ¿Qué? — «Sí»')).toEqual(['École', '¿qué', '—', '«sí»']);
    expect(km.layers.textVectorization({ standardize: 'lower' }).tokenize('A-B c.')).toEqual(['a-b', 'c.']);
    expect(km.layers.textVectorization({ standardize: 'strip_punctuation' }).tokenize('A-B c.')).toEqual(['AB', 'c']);
    // camelCase forms, as outputMode takes 'multiHot', mean Keras' names and save as them.
    const camel = km.layers.textVectorization({ standardize: 'lowerAndStripPunctuation', vocabulary: ['ab'] });
    expect(camel.tokenize('A-B c.')).toEqual(['ab', 'c']);
    expect(camel.getConfig().standardize).toBe('lower_and_strip_punctuation');
    expect(km.layers.textVectorization({ standardize: 'stripPunctuation' }).tokenize('A-B c.')).toEqual(['AB', 'c']);
    expect(km.layers.textVectorization({ standardize: null, split: 'character' }).tokenize('a😀 B')).toEqual(['a', '😀', ' ', 'B']);
    expect(km.layers.textVectorization({ split: null }).tokenize('Two  Words')).toEqual(['two  words']);
    for (const text of corpus) expect(km.layers.textVectorization().tokenize(text)).toEqual(naiveTokens(text));
  });

  it('makes n-grams as tf.strings.ngrams: each width in turn, joined by a space', () => {
    const words = ['a', 'b', 'c'];
    expect(km.layers.textVectorization({ ngrams: 2 }).tokenize('A b C')).toEqual([...words, 'a b', 'b c']);
    expect(km.layers.textVectorization({ ngrams: [3, 1] }).tokenize('a b c')).toEqual(['a b c', ...words]);
    expect(km.layers.textVectorization({ ngrams: [4] }).tokenize('a b c')).toEqual([]);
  });

  it("reproduces Keras' documented example", async () => {
    const vectorize = km.layers.textVectorization({ maxTokens: 5000, outputMode: 'int', outputSequenceLength: 4 });
    await vectorize.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    const y = vectorize.apply([['foo qux bar'], ['qux baz']]);
    expect(y.dtype).toBe('int32');
    expect(y.shape).toEqual([2, 4]);
    expect(values(y)).toEqual([4, 1, 3, 0, 1, 2, 0, 0]);
    expect(km.layers.textVectorization({ vocabulary: ['earth', 'wind', 'and', 'fire'] }).getVocabulary()).toEqual(['', '[UNK]', 'earth', 'wind', 'and', 'fire']);
  });

  it("ragged: true gives each text its own Int32Array of indices, unpadded: Keras' documented example, and the padded rows without their padding", async () => {
    const ragged = km.layers.textVectorization({ maxTokens: 5000, ragged: true });
    await ragged.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    // Keras' example ('foo qux bar' → 4 1 3, 'qux baz' → 1 2), with its padding left off.
    const rows: Int32Array[] = ragged.apply([['foo qux bar'], ['qux baz']]);
    expect(rows.map((row) => row instanceof Int32Array)).toEqual([true, true]);
    expect(rows.map((row) => Array.from(row))).toEqual([[4, 1, 3], [1, 2]]);
    const one: Int32Array = ragged.apply('Baz, boom! foo');
    expect(Array.from(one)).toEqual([2, 5, 4]);
    // Any texts: the dense layer's rows cut to each text's token count, as a naive tokenizer counts them.
    const texts = ['the cat sat on the mat', '', 'A cat!', 'dogs, and cats and mats'];
    const dense = km.layers.textVectorization({ vocabulary: ['the', 'cat', 'sat', 'mat', 'and'] });
    const sparseRows = km.layers.textVectorization({ vocabulary: ['the', 'cat', 'sat', 'mat', 'and'], ragged: true }).apply(texts);
    const padded = dense.apply(texts);
    const width = padded.shape[1];
    expect(sparseRows.map((row) => Array.from(row))).toEqual(texts.map((text, r) => values(padded).slice(r * width, r * width + naiveTokens(text).length)));
    expect(sparseRows.map((row) => row.length)).toEqual([6, 0, 2, 5]);
    // The config keeps ragged; a restored layer gives the same rows (its type says either output).
    const config = JSON.parse(JSON.stringify(ragged.getConfig())) as Record<string, unknown>;
    expect(config).toMatchObject({ ragged: true, outputSequenceLength: null, outputMode: 'int' });
    const restored = km.layers.TextVectorization.fromConfig(config).apply(['foo qux bar', 'qux baz']);
    expect(Array.isArray(restored) && restored.map((row) => Array.from(row))).toEqual([[4, 1, 3], [1, 2]]);
    expect(ragged.ragged).toBe(true);
    expect(dense.ragged).toBe(false);
    // @ts-expect-error: a ragged layer's output is Int32Arrays, not a km.Tensor.
    const notATensor: km.Tensor = ragged.apply(['foo']);
    expect(notATensor).toBeInstanceOf(Array);
  });

  it('adapt orders by count, ties by the larger token; indices pad with 0 or cut at the end', async () => {
    const vectorize = km.layers.textVectorization({ maxTokens: 8 });
    await vectorize.adapt(corpus);
    const expected = naiveVocabulary(corpus.map(naiveTokens)).slice(0, 6);
    expect(vectorize.getVocabulary()).toEqual(['', '[UNK]', ...expected]);
    const index = (t: string) => (expected.includes(t) ? expected.indexOf(t) + 2 : 1);
    const texts = ['the dog sat on the cat mat', 'Cat.'];
    const rows = texts.map((t) => naiveTokens(t).map(index));
    // Without outputSequenceLength the batch's longest text sets the length.
    const longest = vectorize.apply(texts);
    expect(longest.shape).toEqual([2, 7]);
    expect(values(longest)).toEqual([...rows[0], rows[1][0], 0, 0, 0, 0, 0, 0]);
    const cut = km.layers.textVectorization({ vocabulary: vectorize.getVocabulary(), outputSequenceLength: 3 });
    expect(values(cut.apply(texts))).toEqual([...rows[0].slice(0, 3), rows[1][0], 0, 0]);
    // One string is one sample, without the batch axis (for a dataset's map).
    expect(cut.apply('the cat').shape).toEqual([3]);
  });

  it.each(['multi_hot', 'count', 'tf_idf'] as const)('%s encodes each text over the vocabulary, with idf from adapt as Keras computes it', async (mode) => {
    const vectorize = km.layers.textVectorization({ outputMode: mode, ngrams: 2 });
    const documents = corpus.map((t) => { const w = naiveTokens(t); return [...w, ...w.slice(1).map((x, i) => `${w[i]} ${x}`)]; });
    await vectorize.adapt(km.data.array(corpus));
    const vocab = naiveVocabulary(documents);
    // Encodings have no padding index: '[UNK]' at 0.
    expect(vectorize.getVocabulary()).toEqual(['[UNK]', ...vocab]);
    const idf = vocab.map((t) => Math.log(1 + documents.length / (1 + documents.filter((d) => d.includes(t)).length)));
    const weights = [idf.reduce((a, b) => a + b, 0) / idf.length, ...idf];
    const texts = ['the dog the dog', 'zebra cat sat'];
    const expected = texts.flatMap((text) => {
      const out = new Array<number>(vocab.length + 1).fill(0);
      const w = naiveTokens(text);
      for (const t of [...w, ...w.slice(1).map((x, i) => `${w[i]} ${x}`)]) {
        const i = vocab.includes(t) ? vocab.indexOf(t) + 1 : 0;
        out[i] = mode === 'multi_hot' ? 1 : out[i] + 1;
      }
      return mode === 'tf_idf' ? out.map((c, j) => Math.fround(c * weights[j])) : out;
    });
    const y = vectorize.apply(texts);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([2, vocab.length + 1]);
    expect(values(y)).toEqual(expected);
  });

  it('padToMaxTokens widens an encoding to maxTokens with zeros', () => {
    const vectorize = km.layers.textVectorization({ vocabulary: ['a', 'b'], outputMode: 'count', maxTokens: 5, padToMaxTokens: true });
    expect(values(vectorize.apply(['b b q']))).toEqual([1, 0, 2, 0, 0]);
  });

  it('adapts from a generator of batches, and runs custom standardize and split functions', async () => {
    const vectorize = km.layers.textVectorization({ standardize: (t) => t.toUpperCase(), split: (t) => t.split('|') });
    await vectorize.adapt(km.data.generator(function* () {
      yield ['a|b', 'b|c'];
      yield 'b';
    }));
    expect(vectorize.getVocabulary()).toEqual(['', '[UNK]', 'B', 'C', 'A']);
    expect(values(vectorize.apply(['c|x|a']))).toEqual([3, 1, 4]);
  });

  it('getConfig is plain JSON with the vocabulary; fromConfig and layerFromConfig restore the same outputs', async () => {
    const vectorize = km.layers.textVectorization({ outputMode: 'tf_idf', ngrams: [1, 2], maxTokens: 10, standardize: 'lower', name: 'text' });
    await vectorize.adapt(corpus);
    const config = JSON.parse(JSON.stringify(vectorize.getConfig())) as Record<string, unknown>;
    expect(config).toMatchObject({ name: 'text', outputMode: 'tf_idf', ngrams: [1, 2], maxTokens: 10, standardize: 'lower', split: 'whitespace', outputSequenceLength: null });
    expect(config.vocabulary).toEqual(vectorize.getVocabulary(false));
    for (const restored of [km.layers.TextVectorization.fromConfig(config), km.layers.layerFromConfig('TextVectorization', config) as km.layers.TextVectorization]) {
      expect(values(restored.apply(corpus))).toEqual(values(vectorize.apply(corpus)));
      expect(JSON.parse(JSON.stringify(restored.getConfig()))).toEqual(config);
    }
  });

  // A Keras 3 TextVectorization's get_config(), written as Keras returns it: Layer.get_config's name,
  // trainable and dtype policy, then TextVectorization.get_config's keys in its order, with
  // vocabulary_size (keras/src/layers/preprocessing/text_vectorization.py and keras/src/layers/layer.py).
  const kerasConfig = (config: Record<string, unknown>): Record<string, unknown> => ({
    name: 'text_vectorization',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    max_tokens: 6,
    standardize: 'lower_and_strip_punctuation',
    split: 'whitespace',
    ngrams: null,
    output_mode: 'int',
    output_sequence_length: 7,
    pad_to_max_tokens: false,
    sparse: false,
    ragged: false,
    vocabulary: ['the', 'movie', 'was', 'great'],
    idf_weights: null,
    encoding: 'utf-8',
    vocabulary_size: 6,
    ...config,
  });

  it("fromConfig and layerFromConfig read Keras 3's snake_case get_config, dropping its dtype and vocabulary_size", () => {
    const config = kerasConfig({});
    // camelCase keys with a plain dtype: how a model file's layer configs reach layerFromConfig.
    const camel = Object.fromEntries(Object.entries({ ...config, dtype: 'float32' }).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
    for (const restored of [km.layers.TextVectorization.fromConfig(config), km.layers.layerFromConfig('TextVectorization', config) as km.layers.TextVectorization, km.layers.TextVectorization.fromConfig(camel)]) {
      expect([restored.maxTokens, restored.outputSequenceLength, restored.outputMode]).toEqual([6, 7, 'int']);
      expect(restored.getVocabulary()).toEqual(['', '[UNK]', 'the', 'movie', 'was', 'great']);
      // the movie was great → 2 3 4 5, really → [UNK] 1, padded to 7 with 0.
      expect(values(restored.apply(['The movie was GREAT, really!']))).toEqual([2, 3, 4, 5, 1, 0, 0]);
    }
    // An adapted Keras layer saves vocabulary: null and its vocabulary in the archive's assets/vocabulary.txt
    // (IndexLookup.save_assets: get_vocabulary(), '' first, joined by newlines), which setVocabulary takes as FROM_TFJS.md says.
    const fromAssets = km.layers.TextVectorization.fromConfig(kerasConfig({ vocabulary: null }));
    fromAssets.setVocabulary('\n[UNK]\nthe\nmovie\nwas\ngreat\n'.replace(/\n+$/, '').split('\n'));
    expect(values(fromAssets.apply(['The movie was GREAT, really!']))).toEqual([2, 3, 4, 5, 1, 0, 0]);
    // An encoding: index 0 is '[UNK]' (no padding index), and pad_to_max_tokens widens it to max_tokens.
    const counts = km.layers.TextVectorization.fromConfig(kerasConfig({ output_mode: 'count', output_sequence_length: null, pad_to_max_tokens: true, max_tokens: 8, vocabulary: ['a', 'b'], vocabulary_size: 3 }));
    expect([counts.outputMode, counts.padToMaxTokens, counts.maxTokens]).toEqual(['count', true, 8]);
    expect(values(counts.apply(['b B q']))).toEqual([1, 0, 2, 0, 0, 0, 0, 0]);
  });

  it.each([
    ['a misspelt option', { outputSequenceLenght: 8 }, /TextVectorization\.fromConfig has no option 'outputSequenceLenght'; did you mean 'outputSequenceLength'\?/],
    ['a misspelt Keras key', { output_sequence_lenght: 8 }, /TextVectorization\.fromConfig has no option 'output_sequence_lenght'; did you mean 'outputSequenceLength'\?/],
    ['a StringLookup key', { num_oov_indices: 1 }, /TextVectorization\.fromConfig has no option 'num_oov_indices'\. Its options are: name, trainable, maxTokens/],
    ['one option in both spellings', { maxTokens: 6 }, /TextVectorization\.fromConfig: the config gives maxTokens twice, as 'max_tokens' and as 'maxTokens'\. Keep one\./],
    ['a missing vocabulary file', { vocabulary: 'no-such-dir/vocabulary.txt' }, /cannot read the vocabulary file 'no-such-dir\/vocabulary\.txt': there is no file there\. .*relative paths start from .*, or pass the tokens as an array/],
  ])('fromConfig refuses %s in a config, naming it', (_what, extra, message) => {
    expect(() => km.layers.TextVectorization.fromConfig(kerasConfig(extra))).toThrow(message);
    expect(() => km.layers.layerFromConfig('TextVectorization', kerasConfig(extra))).toThrow(message);
  });

  it('adapt refuses a given vocabulary (option, config or setVocabulary), as Keras does, and keeps it; adapting again learns afresh', async () => {
    const refusal = /Cannot adapt TextVectorization layer '.*' after setting a static vocabulary via the vocabulary option \(a config's too, in fromConfig\) or setVocabulary\(\) \(Keras refuses it after the vocabulary option; kerasm after any, so tokens are never re-indexed under a trained model\): .* make a new layer without vocabulary and adapt that; to replace this one's, call setVocabulary\(tokens\)\./;
    const given = km.layers.textVectorization({ vocabulary: ['a', 'b'] });
    const restored = km.layers.TextVectorization.fromConfig(given.getConfig());
    const set = km.layers.textVectorization();
    set.setVocabulary(['a', 'b']);
    for (const layer of [given, restored, set]) {
      await expect(layer.adapt(['c d'])).rejects.toThrow(refusal);
      expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b']);
    }
    const learned = km.layers.textVectorization();
    await learned.adapt(['a a b']);
    await learned.adapt(['c']);
    expect(learned.getVocabulary()).toEqual(['', '[UNK]', 'c']);
    learned.setVocabulary(['x']);
    await expect(learned.adapt(['c'])).rejects.toThrow(refusal);
  });

  it('getConfig refuses a function, naming the way to restore it', () => {
    const vectorize = km.layers.textVectorization({ split: (t) => t.split(','), vocabulary: ['a'] });
    expect(() => vectorize.getConfig()).toThrow(/its split is a function, which a config cannot hold .* Save the vocabulary instead \(getVocabulary\(\)\), and restore with km\.layers\.textVectorization\(\{ split: sameFunction, vocabulary \}\)/);
  });

  it('cannot sit in a model: a symbolic tensor, or a sequential it is added to, refuses it with the fix', () => {
    const vectorize = km.layers.textVectorization({ vocabulary: ['a'], outputSequenceLength: 2 });
    const why = /TextVectorization layer '.*' reads strings, .* cannot run inside a model .* const xs = layer\.apply\(texts\) before fit/;
    expect(() => vectorize.apply(km.input({ shape: [1] }))).toThrow(why);
    expect(() => km.sequential([vectorize, km.layers.embedding({ inputDim: 3, outputDim: 2 })])).toThrow(why);
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2] })]);
    expect(() => model.add(vectorize)).toThrow(why);
    expect(model.layers).toHaveLength(1);
  });

  it.each([
    ['numbers', () => km.layers.textVectorization({ vocabulary: ['a'] }).apply([3] as never), /reads strings: .* Received: a list holding number 3/],
    ['several strings per sample', () => km.layers.textVectorization({ vocabulary: ['a'] }).apply([['a b', 'c']]), /reads one string per sample: .* entry 0 holds 2 strings/],
    ['no vocabulary yet', () => km.layers.textVectorization().apply(['a']), /has no vocabulary yet\. Call await layer\.adapt\(data\)/],
    ['a bad standardize', () => km.layers.textVectorization({ standardize: 'lowercase' as never }), /standardize must be 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null, or a function .* Received: standardize="lowercase"/],
    ['a bad split', () => km.layers.textVectorization({ split: 'space' as never }), /split must be 'whitespace', 'character', null, or a function .* Received: split="space"/],
    ['bad ngrams', () => km.layers.textVectorization({ ngrams: 0 }), /ngrams must be null, a positive integer n .* Received: ngrams=0/],
    ['outputSequenceLength with an encoding', () => km.layers.textVectorization({ outputMode: 'count', outputSequenceLength: 4 }), /outputSequenceLength pads or cuts the indices of outputMode 'int' only\. Received: outputMode="count", outputSequenceLength=4/],
    ['a fractional outputSequenceLength', () => km.layers.textVectorization({ outputSequenceLength: 2.5 }), /outputSequenceLength must be a positive integer or null\. Received: outputSequenceLength=2\.5/],
    ['one_hot', () => km.layers.textVectorization({ outputMode: 'one_hot' as never }), /outputMode 'one_hot' is not supported for text/],
    ['maxTokens too small', () => km.layers.textVectorization({ maxTokens: 2 }), /maxTokens must be an integer above 2 \(the mask and out-of-vocabulary indices\), or null\. Received: maxTokens=2/],
    ['ragged with an encoding', () => km.layers.textVectorization({ ragged: true, outputMode: 'multi_hot' }), /ragged gives each text its own list of token indices, so it needs outputMode 'int' \(as in Keras\)\. Received: outputMode="multi_hot", ragged=true\. Remove ragged, or set outputMode: 'int'\./],
    ['ragged with outputSequenceLength', () => km.layers.textVectorization({ ragged: true, outputSequenceLength: 4 }), /ragged keeps each text's own length, so outputSequenceLength must not be set \(as in Keras\)\. Received: outputSequenceLength=4, ragged=true\. Remove one of them\./],
    ['a non-boolean ragged', () => km.layers.textVectorization({ ragged: 'yes' as never }), /ragged must be true or false\. Received: ragged="yes"/],
    ['sparse', () => km.layers.textVectorization({ sparse: true }), /sparse outputs are not supported\. Received: sparse=true\. Remove it/],
    ['tf_idf with a vocabulary but no idfWeights', () => km.layers.textVectorization({ outputMode: 'tf_idf', vocabulary: ['a'] }), /needs its idfWeights, one per token/],
    ['an unknown option', () => km.layers.textVectorization({ maxLen: 4 } as never), /km\.layers\.textVectorization has no option 'maxLen'/],
  ])('refuses %s, saying what it received', (_what, act, message) => {
    expect(act).toThrow(message);
  });

  it('adapt refuses a dataset of non-strings, with the map that fixes it', async () => {
    await expect(km.layers.textVectorization().adapt(km.data.array([1, 2]))).rejects.toThrow(/element 0 is number 1\. Map the elements to their text first/);
  });
});
