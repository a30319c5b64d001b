import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// StringLookup against Keras 3's index lookup written as naive references: vocabulary order
// (count, then the larger token by UTF-8 bytes), indices, encodings, tf_idf with Keras' idf
// formula, invert, configs, and the errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());

/** UTF-8 bytes, as NumPy compares Keras' byte strings. */
const utf8 = (s: string) => Array.from(new TextEncoder().encode(s));
function compareBytes(a: string, b: string): number {
  const [x, y] = [utf8(a), utf8(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** Keras' adapt: count every token, sort by (count, token) ascending with np.lexsort, reverse, cut. */
function naiveVocabulary(documents: string[][], room = Infinity, drop: string[] = ['[UNK]']): string[] {
  const counts: Record<string, number> = {};
  for (const doc of documents) for (const t of doc) counts[t] = (counts[t] ?? 0) + 1;
  const sorted = Object.keys(counts).filter((t) => !drop.includes(t)).sort((a, b) => counts[a] - counts[b] || compareBytes(a, b));
  return sorted.reverse().slice(0, room);
}

/** Keras' idf: log(1 + documents / (1 + documents holding the token)). */
function naiveIdf(documents: string[][], token: string): number {
  let holding = 0;
  for (const doc of documents) if (doc.includes(token)) holding++;
  return Math.log(1 + documents.length / (1 + holding));
}

// Ties: 'b' and 'c' twice; 'ｚ' (U+FF5A) and '😀' (U+1F600) once, where UTF-16 order ('<') and byte order disagree.
const documents = [['a', 'b', 'a'], ['c', 'a', '😀'], ['b', 'c', 'ｚ'], ['d', '[UNK]', 'a']];

describe('StringLookup', () => {
  it('adapt orders the vocabulary as Keras: by count, ties by the larger token in UTF-8 byte order', async () => {
    const lookup = km.layers.stringLookup();
    await lookup.adapt(documents);
    const expected = naiveVocabulary(documents);
    expect(expected).toEqual(['a', 'c', 'b', '😀', 'ｚ', 'd']);
    expect(lookup.getVocabulary()).toEqual(['[UNK]', ...expected]);
    expect(lookup.getVocabulary(false)).toEqual(expected);
    expect(lookup.vocabularySize()).toBe(7);
  });

  it('maps tokens to indices: unknown ones to the OOV index, the mask token to 0', async () => {
    const lookup = km.layers.stringLookup({ maskToken: '', maxTokens: 4 });
    await lookup.adapt(documents);
    expect(lookup.getVocabulary()).toEqual(['', '[UNK]', 'a', 'c']);
    const y = lookup.apply([['a', 'zz', ''], ['c', 'b', 'a']]);
    expect(y.dtype).toBe('int32');
    expect(y.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([2, 1, 0, 3, 1, 2]);
    expect(values(lookup.call(['c']))).toEqual([3]);
    expect(lookup.apply('a').shape).toEqual([]);
  });

  it('a plain list adapts as that many one-token documents; a dataset element is one document', async () => {
    const tfidf = km.layers.stringLookup({ outputMode: 'tf_idf' });
    await tfidf.adapt(['x', 'y', 'x']);
    // 3 documents: 'x' in 2, 'y' in 1.
    expect(tfidf.getConfig().idfWeights).toEqual([Math.log(1 + 3 / 3), Math.log(1 + 3 / 2)]);
    await tfidf.adapt(km.data.array([['x', 'y', 'x']]));
    expect(tfidf.getConfig().idfWeights).toEqual([Math.log(1 + 1 / 2), Math.log(1 + 1 / 2)]);
  });

  it.each(['one_hot', 'multi_hot', 'count', 'tf_idf'] as const)('%s encodes as Keras, leaving the mask token out', async (mode) => {
    const lookup = km.layers.stringLookup({ outputMode: mode, maskToken: '' });
    await lookup.adapt(documents);
    const vocab = naiveVocabulary(documents, Infinity, ['[UNK]', '']);
    // Encodings have no mask index: OOV at 0, the vocabulary from 1.
    expect(lookup.getVocabulary()).toEqual(['[UNK]', ...vocab]);
    const depth = vocab.length + 1;
    const idf = vocab.map((t) => naiveIdf(documents, t));
    const weights = [idf.reduce((a, b) => a + b, 0) / idf.length, ...idf];
    const index = (t: string) => (t === '' ? -1 : vocab.includes(t) ? vocab.indexOf(t) + 1 : 0);
    const input = mode === 'one_hot' ? [['a', 'q'], ['', 'c']] : [['a', 'b', 'a', ''], ['q', 'c'], []];
    const rows = mode === 'one_hot' ? input.flat().map((t) => [t]) : input;
    const expected = rows.flatMap((row) => {
      const out = new Array<number>(depth).fill(0);
      for (const t of row) if (index(t) >= 0) out[index(t)] = mode === 'one_hot' || mode === 'multi_hot' ? 1 : out[index(t)] + 1;
      return mode === 'tf_idf' ? out.map((c, j) => Math.fround(c * weights[j])) : out;
    });
    const y = lookup.apply(input);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual(mode === 'one_hot' ? [2, 2, depth] : [3, depth]);
    expect(values(y)).toEqual(expected);
  });

  it('one_hot of one token per sample, [n, 1], gives [n, depth] as Keras (the structured-data example feeds such a column)', async () => {
    const thal = ['normal', 'fixed', 'normal', 'reversible', 'normal', 'fixed'];
    const lookup = km.layers.stringLookup({ outputMode: 'one_hot' });
    await lookup.adapt(thal);
    const vocab = naiveVocabulary(thal.map((t) => [t]));
    const column = [['fixed'], ['zz'], ['normal']];
    const y = lookup.apply(column);
    // Keras' encode_categorical_inputs adds the one-hot axis only where the last axis is not 1.
    expect(y.shape).toEqual([3, vocab.length + 1]);
    const index = (t: string) => (vocab.includes(t) ? vocab.indexOf(t) + 1 : 0);
    expect(values(y)).toEqual(column.flatMap(([t]) => Array.from({ length: vocab.length + 1 }, (_, j) => (j === index(t) ? 1 : 0))));
    // A plain list, one token per sample, gives the same rows.
    expect(values(lookup.apply(column.map(([t]) => t)))).toEqual(values(y));
  });

  it('a list of tokens is one sample for multi_hot (Keras encodes the last axis); padToMaxTokens widens it with zeros', () => {
    const lookup = km.layers.stringLookup({ vocabulary: ['a', 'b'], outputMode: 'count', maxTokens: 6, padToMaxTokens: true });
    const y = lookup.apply(['b', 'b', 'z']);
    expect(y.shape).toEqual([6]);
    expect(values(y)).toEqual([1, 0, 2, 0, 0, 0]);
  });

  it('tf_idf with a given vocabulary weighs the OOV index by the mean, and takes the special tokens’ own weights when listed', () => {
    const given = km.layers.stringLookup({ vocabulary: ['a', 'b'], idfWeights: [2, 4], outputMode: 'tf_idf' });
    expect(values(given.apply([['a', 'q', 'q', 'b']]))).toEqual([6, 2, 4]);
    given.setVocabulary(['[UNK]', 'a', 'b'], [0.5, 2, 4]);
    expect(values(given.apply([['a', 'q', 'q', 'b']]))).toEqual([1, 2, 4]);
  });

  it('invert maps indices back to tokens: 0 to the mask token, unknown indices to the OOV token', () => {
    const vocabulary = ['cat', 'dog'];
    const lookup = km.layers.stringLookup({ vocabulary, maskToken: '<pad>' });
    const inverse = km.layers.stringLookup({ vocabulary, maskToken: '<pad>', invert: true });
    const indices = lookup.apply([['dog', 'cat', 'emu', '<pad>']]);
    expect(inverse.apply(indices)).toEqual([['dog', 'cat', '[UNK]', '<pad>']]);
    expect(inverse.apply([3, 9])).toEqual(['dog', '[UNK]']);
    expect(inverse.apply(2)).toBe('cat');
  });

  it('getConfig holds the learned vocabulary and idf weights as JSON; fromConfig and layerFromConfig restore it', async () => {
    const lookup = km.layers.stringLookup({ outputMode: 'tf_idf', maxTokens: 5, name: 'words' });
    await lookup.adapt(documents);
    const config = JSON.parse(JSON.stringify(lookup.getConfig())) as Record<string, unknown>;
    expect(config).toMatchObject({ name: 'words', maxTokens: 5, outputMode: 'tf_idf', vocabulary: ['a', 'c', 'b', '😀'], oovToken: '[UNK]', maskToken: null });
    const input = [['a', 'c', 'c', 'zz']];
    for (const restored of [km.layers.StringLookup.fromConfig(config), km.layers.layerFromConfig('StringLookup', config) as km.layers.StringLookup]) {
      expect(restored.getVocabulary()).toEqual(lookup.getVocabulary());
      expect(values(restored.apply(input))).toEqual(values(lookup.apply(input)));
    }
    for (const restored of [km.layers.StringLookup.fromConfig(config), km.layers.layerFromConfig('StringLookup', config)]) {
      expect(JSON.parse(JSON.stringify(restored.getConfig()))).toEqual(config);
    }
    // getVocabulary's list, special tokens first, sets a vocabulary back.
    const other = km.layers.stringLookup();
    other.setVocabulary(lookup.getVocabulary());
    expect(other.getVocabulary()).toEqual(lookup.getVocabulary());
  });

  // A Keras 3 StringLookup's get_config(), written as Keras returns it: Layer.get_config's name,
  // trainable and dtype policy, IndexLookup.get_config's keys in its order (vocabulary_dtype deleted
  // by StringLookup.get_config, which adds encoding), from keras/src/layers/preprocessing/index_lookup.py
  // and string_lookup.py.
  const kerasConfig = (config: Record<string, unknown>): Record<string, unknown> => ({
    name: 'string_lookup',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    invert: false,
    max_tokens: 6,
    num_oov_indices: 1,
    oov_token: '[OOV]',
    mask_token: '',
    output_mode: 'int',
    sparse: false,
    pad_to_max_tokens: false,
    idf_weights: null,
    vocabulary: ['a', 'b', 'c'],
    vocabulary_size: 5,
    oov_method: 'floormod',
    encoding: 'utf-8',
    ...config,
  });

  it("fromConfig and layerFromConfig read Keras 3's snake_case get_config, dropping its dtype, vocabulary_size and oov_method", () => {
    for (const restored of [km.layers.StringLookup.fromConfig(kerasConfig({})), km.layers.layerFromConfig('StringLookup', kerasConfig({})) as km.layers.StringLookup]) {
      expect([restored.maxTokens, restored.numOovIndices, restored.maskToken, restored.oovToken, restored.outputMode]).toEqual([6, 1, '', '[OOV]', 'int']);
      expect(restored.getVocabulary()).toEqual(['', '[OOV]', 'a', 'b', 'c']);
      expect(values(restored.apply([['c', '', 'zz', 'a']]))).toEqual([4, 0, 1, 2]);
    }
    // one_hot without an OOV index: 'b' is column 1 of the three.
    const oneHot = km.layers.StringLookup.fromConfig(kerasConfig({ output_mode: 'one_hot', num_oov_indices: 0, mask_token: null, vocabulary_size: 3 }));
    expect(values(oneHot.apply(['b']))).toEqual([0, 1, 0]);
  });

  it.each([
    ['a misspelt option', { maskTokn: '' }, /StringLookup\.fromConfig has no option 'maskTokn'; did you mean 'maskToken'\?/],
    ['a misspelt Keras key', { num_oov_indice: 1 }, /StringLookup\.fromConfig has no option 'num_oov_indice'; did you mean 'numOovIndices'\?/],
    ['a TextVectorization key', { output_sequence_length: 4 }, /StringLookup\.fromConfig has no option 'output_sequence_length'\. Its options are: name, trainable, vocabulary/],
    ['a missing vocabulary file', { vocabulary: '/nonexistent/kerasm/vocab.txt' }, /cannot read the vocabulary file '\/nonexistent\/kerasm\/vocab\.txt': there is no file there\. Give the path of a text file with one token a line/],
    ['a salt for the OOV hash', { num_oov_indices: 2, salt: [11, 13] }, /the config gives salt=\[11,13\], which makes Keras hash out-of-vocabulary tokens with SipHash; .* Save the layer without salt/],
  ])('fromConfig refuses %s in a config, naming it', (_what, extra, message) => {
    expect(() => km.layers.StringLookup.fromConfig(kerasConfig(extra))).toThrow(message);
    expect(() => km.layers.layerFromConfig('StringLookup', kerasConfig(extra))).toThrow(message);
  });

  it('adapt refuses a given vocabulary (option, config or setVocabulary), as Keras does, and keeps it', async () => {
    const refusal = /Cannot adapt StringLookup layer '.*' after setting a static vocabulary via the vocabulary option \(a config's too, in fromConfig\) or setVocabulary\(\) \(Keras refuses it after the vocabulary option; kerasm after any, so tokens are never re-indexed under a trained model\): .* make a new layer without vocabulary and adapt that; to replace this one's, call setVocabulary\(tokens\)\./;
    const given = km.layers.stringLookup({ vocabulary: ['a', 'b'] });
    const set = km.layers.stringLookup();
    set.setVocabulary(['a', 'b']);
    for (const layer of [given, km.layers.StringLookup.fromConfig(given.getConfig()), set]) {
      await expect(layer.adapt(['c', 'c'])).rejects.toThrow(refusal);
      expect(layer.getVocabulary()).toEqual(['[UNK]', 'a', 'b']);
    }
  });

  it('cannot sit in a model: applying it to a symbolic tensor, or adding it to a sequential, says why and the fix', () => {
    const lookup = km.layers.stringLookup({ vocabulary: ['a'] });
    const why = /StringLookup layer '.*' reads strings, and kerasm's tensors hold only float32 or int32 numbers, so it cannot run inside a model .* Apply it to the data instead, .*ds\.map\(/;
    expect(() => lookup.apply(km.input({ shape: [1] }))).toThrow(why);
    expect(() => km.sequential([lookup, km.layers.dense({ units: 1 })])).toThrow(why);
  });

  it.each([
    ['numbers', () => km.layers.stringLookup({ vocabulary: ['a'] }).apply([1, 2] as never), /reads strings: .* Received: a list holding number 1\. Pass the text itself/],
    ['a km.Tensor', () => km.layers.stringLookup({ vocabulary: ['a'] }).apply(km.zeros([2])), /reads strings: .* Received: a km\.Tensor \(float32, shape \[2\]\)/],
    ['a mix of strings and lists', () => km.layers.stringLookup({ vocabulary: ['a'] }).apply(['a', ['b']] as never), /not a mix: entry 0 is "a" but entry 1 is \["b"\]\. Wrap each string in a list/],
    ['ragged rows for int', () => km.layers.stringLookup({ vocabulary: ['a'] }).apply([['a'], ['a', 'a']]), /row 1 has 2 tokens and row 0 has 1\. Pad the rows/],
    ['no vocabulary yet', () => km.layers.stringLookup().apply(['a']), /has no vocabulary yet\. Call await layer\.adapt\(data\)/],
    ['an unknown token with numOovIndices 0', () => km.layers.stringLookup({ vocabulary: ['a'], numOovIndices: 0 }).apply([['a', 'b']]), /numOovIndices=0, .* but sample 0, position 1 is "b"/],
    ['maxTokens too small', () => km.layers.stringLookup({ maskToken: '', maxTokens: 2 }), /maxTokens must be an integer above 2 .* Received: maxTokens=2\./],
    ['a vocabulary past maxTokens', () => km.layers.stringLookup({ vocabulary: ['a', 'b', 'c'], maxTokens: 3 }), /has 3 tokens, which with 1 special indices exceeds maxTokens=3/],
    ['a bad outputMode', () => km.layers.stringLookup({ outputMode: 'onehot' as never }), /outputMode must be one of 'int', 'one_hot', 'multi_hot', 'count', 'tf_idf'\. Received: outputMode="onehot"/],
    ['a repeated token', () => km.layers.stringLookup({ vocabulary: ['a', 'b', 'a'] }), /holds "a" twice/],
    ['the OOV token inside the vocabulary', () => km.layers.stringLookup({ vocabulary: ['a', '[UNK]'] }), /holds "\[UNK\]", the oovToken, after its first entries/],
    ['a non-string vocabulary', () => km.layers.stringLookup({ vocabulary: [1, 2] as never }), /vocabulary must be a list of strings\. Received: vocabulary=\[1,2\]/],
    ['a negative numOovIndices', () => km.layers.stringLookup({ numOovIndices: -1 }), /numOovIndices must be a whole number from 0 .* Received: numOovIndices=-1\./],
    ['a fractional numOovIndices', () => km.layers.stringLookup({ numOovIndices: 2.5 }), /numOovIndices must be a whole number from 0 .* Received: numOovIndices=2\.5\./],
    ['a string numOovIndices', () => km.layers.stringLookup({ numOovIndices: '2' as never }), /numOovIndices must be a whole number from 0 .* Received: numOovIndices="2"\./],
    ['an unknown option', () => km.layers.stringLookup({ mask_token: '' } as never), /km\.layers\.stringLookup has no option 'mask_token'/],
    ['strings to an inverting lookup', () => km.layers.stringLookup({ vocabulary: ['a'], invert: true }).apply(['a']), /invert: true\), so it reads whole-number indices, not strings/],
    ['fractions to an inverting lookup', () => km.layers.stringLookup({ vocabulary: ['a'], invert: true }).apply([1.5]), /reads whole-number indices: .* Received: a list holding number 1\.5/],
  ])('refuses %s, saying what it received', (_what, act, message) => {
    expect(act).toThrow(message);
  });

  it('adapt refuses numbers and a dataset of non-strings, and invert has nothing to adapt', async () => {
    await expect(km.layers.stringLookup().adapt(km.zeros([2]) as never)).rejects.toThrow(/adapt reads strings: .* Received: a km\.Tensor/);
    await expect(km.layers.stringLookup().adapt(km.data.array([{ text: 'a' }]))).rejects.toThrow(/element 0 is object .* Map the elements to their text first/);
    await expect(km.layers.stringLookup({ invert: true }).adapt(['a'])).rejects.toThrow(/invert: true\), so adapt has nothing to learn/);
  });
});
