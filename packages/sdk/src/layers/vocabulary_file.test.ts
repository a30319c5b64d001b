import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Keras' `vocabulary` given as a file path (one token a line) in StringLookup, TextVectorization and
// IntegerLookup: what is read, and each refusal (missing, empty, repeated, tf_idf, outside Node).
beforeAll(() => km.ready());

const dir = mkdtempSync(join(tmpdir(), 'kerasm-vocabulary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function file(text: string): string {
  const path = join(dir, `vocabulary_${count++}.txt`);
  writeFileSync(path, text);
  return path;
}

const values = (t: km.Tensor) => Array.from(t.dataSync());

describe('a vocabulary file', () => {
  it('StringLookup reads one token a line, a final newline and \\r\\n endings as Keras reads them', () => {
    for (const text of ['a\nb\nc\nd', 'a\nb\nc\nd\n', 'a\r\nb\r\nc\r\nd\r\n']) {
      const layer = km.layers.stringLookup({ vocabulary: file(text), numOovIndices: 2 });
      expect(layer.getVocabulary()).toEqual(['[UNK]', '[UNK]', 'a', 'b', 'c', 'd']);
      // Keras 3's docstring example, with its vocabulary in a file.
      expect(values(layer.apply([['a', 'c', 'd'], ['m', 'z', 'b']]))).toEqual([2, 4, 5, 0, 1, 3]);
    }
    const fromUrl = km.layers.stringLookup({ vocabulary: pathToFileURL(file('x\ny\n')).href });
    expect(fromUrl.getVocabulary()).toEqual(['[UNK]', 'x', 'y']);
    // The config saves the tokens themselves, so that it loads where the file is not.
    expect(fromUrl.getConfig().vocabulary).toEqual(['x', 'y']);
    const set = km.layers.stringLookup();
    set.setVocabulary(file('p\nq\n'));
    expect(set.getVocabulary()).toEqual(['[UNK]', 'p', 'q']);
  });

  it("TextVectorization reads a Keras vocabulary.txt ('' and '[UNK]' first, as get_vocabulary writes it)", () => {
    const layer = km.layers.textVectorization({ vocabulary: file('\n[UNK]\nthe\nmovie\nwas\ngreat\n') });
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'the', 'movie', 'was', 'great']);
    expect(values(layer.apply(['The movie was GREAT, really!']))).toEqual([2, 3, 4, 5, 1]);
    const restored = km.layers.TextVectorization.fromConfig({ vocabulary: file('the\nmovie\n'), output_sequence_length: 3 });
    expect(values(restored.apply(['movie the end']) as km.Tensor)).toEqual([3, 2, 1]);
  });

  it('IntegerLookup reads one whole number a line', () => {
    const layer = km.layers.integerLookup({ vocabulary: file('12\n36\n1138\n-42\n'), numOovIndices: 2 });
    expect(layer.getVocabulary()).toEqual([-1, -1, 12, 36, 1138, -42]);
    expect(values(layer.apply(km.tensor(Int32Array.of(12, 1138, -42, 37, 1000, 36), [2, 3])))).toEqual([2, 4, 5, 1, 0, 3]);
    // A file of getVocabulary()'s lines, its special tokens first, reads back as the same vocabulary.
    const written = km.layers.integerLookup({ vocabulary: [12, 36], maskToken: 0 });
    const again = km.layers.integerLookup({ vocabulary: file(`${written.getVocabulary().join('\n')}\n`), maskToken: 0 });
    expect(again.getVocabulary()).toEqual([0, -1, 12, 36]);
  });

  it('drops a leading UTF-8 byte order mark, so that the first token matches', () => {
    const strings = km.layers.stringLookup({ vocabulary: file('\uFEFFapple\r\nbanana\r\n') });
    expect(strings.getVocabulary()).toEqual(['[UNK]', 'apple', 'banana']);
    expect(values(strings.apply(['apple', 'banana', 'cherry']))).toEqual([1, 2, 0]);
    const integers = km.layers.integerLookup({ vocabulary: file('\uFEFF10\n20\n') });
    expect(integers.getVocabulary()).toEqual([-1, 10, 20]);
    // Only a leading one: a BOM inside the file is part of a token, as in Keras.
    expect(km.layers.stringLookup({ vocabulary: file('a\n\uFEFFb\n') }).getVocabulary()).toEqual(['[UNK]', 'a', '\uFEFFb']);
  });

  it.each([
    ['a missing file', () => km.layers.stringLookup({ vocabulary: join(dir, 'missing.txt') }), /StringLookup layer '.*': cannot read the vocabulary file '.*missing\.txt': there is no file there\. Give the path of a text file with one token a line \(relative paths start from .*\), or pass the tokens as an array\./],
    ['a folder', () => km.layers.stringLookup({ vocabulary: dir }), /cannot read the vocabulary file '.*': it is a folder\./],
    ['an empty file', () => km.layers.stringLookup({ vocabulary: file('') }), /StringLookup layer '.*': the vocabulary file '.*' holds no tokens\. Write one token a line into it, or leave out vocabulary and call adapt\./],
    ['a file of one newline', () => km.layers.textVectorization({ vocabulary: file('\n') }), /the vocabulary file '.*' holds no tokens/],
    ['a repeated token', () => km.layers.stringLookup({ vocabulary: file('a\nb\nc\nb\n') }), /the vocabulary file '.*vocabulary_\d+\.txt' lists "b" twice, on lines 2 and 4 \(Keras refuses a repeated token too\)\. Remove the repeated line\./],
    ['a repeated integer', () => km.layers.integerLookup({ vocabulary: file('7\n8\n7\n') }), /IntegerLookup layer '.*': the vocabulary file '.*' lists "7" twice, on lines 1 and 3/],
    ['tf_idf', () => km.layers.stringLookup({ vocabulary: file('a\n'), outputMode: 'tf_idf' }), /outputMode 'tf_idf' cannot read its vocabulary from a file, as in Keras \(the file has no idf weights\)\. Received: vocabulary=".*"\. Pass the file's lines as an array with their idfWeights/],
    ['tf_idf in IntegerLookup', () => km.layers.integerLookup({ vocabulary: file('1\n'), outputMode: 'tf_idf' }), /outputMode 'tf_idf' cannot read its vocabulary from a file, as in Keras/],
    ['a non-integer line', () => km.layers.integerLookup({ vocabulary: file('12\n3.5\n') }), /line 2 of the vocabulary file '.*' is "3\.5", not a whole number from -2\^24 to 2\^24\. Write one integer token a line\./],
    ['a token the layer refuses', () => km.layers.stringLookup({ vocabulary: file('a\n[UNK]\n') }), /holds "\[UNK\]", the oovToken, after its first entries; .* \(The vocabulary came from the file '.*vocabulary_\d+\.txt'\.\)/],
  ])('refuses %s, naming the path and the fix', (_what, act, message) => {
    expect(act).toThrow(message);
  });

  it('outside Node.js says to pass the lines as an array', () => {
    const path = file('a\n');
    const versions = Object.getOwnPropertyDescriptor(process, 'versions')!;
    Object.defineProperty(process, 'versions', { value: {}, configurable: true });
    try {
      expect(() => km.layers.stringLookup({ vocabulary: path })).toThrow(/StringLookup layer '.*': a vocabulary file \('.*'\) works only in Node\.js, .* In a browser, fetch the file and pass its lines as an array: vocabulary: text\.replace/);
    } finally {
      Object.defineProperty(process, 'versions', versions);
    }
  });
});
