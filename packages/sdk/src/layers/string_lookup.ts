import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { Tensor } from '../tensor.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { encodeIndexRows } from './index_rows_encoding.js';
import { registerBuiltinLayer } from './registry.js';
import { stringItems, stringRows } from './string_data.js';
import { describeReceived, optionsFromConfig, type StringData } from './string_layer.js';
import { countDocument, emptyCounts, StringVocabulary, type StringVocabularyArgs } from './string_vocabulary.js';
import { VocabularyLayer } from './vocabulary_layer.js';

/** Options of {@link StringLookup}, with Keras 3's defaults. */
export interface StringLookupArgs extends StringVocabularyArgs {
  /** The layer's name (default: 'string_lookup', numbered). */
  name?: string;
  /** Keras' trainable flag, kept in the config; the layer has no weights (default true). */
  trainable?: boolean;
}

const STRING_LOOKUP_OPTIONS = optionNames<StringLookupArgs>({
  name: true, trainable: true, vocabulary: true, maxTokens: true, numOovIndices: true, maskToken: true, oovToken: true, invert: true, outputMode: true, idfWeights: true, padToMaxTokens: true, sparse: true, encoding: true,
});

/**
 * The axes 'one_hot' keeps: all of them, but a last axis of 1 after the samples axis, which the
 * one-hot axis replaces, as Keras' `encode_categorical_inputs` does (`[['a'], ['b']]` gives `[2, depth]`).
 */
function oneHotBase(shape: readonly number[]): readonly number[] {
  return shape.length >= 2 && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : shape;
}

/**
 * Keras' StringLookup: maps string tokens to integer indices through a vocabulary (the mask token,
 * if any, at 0, then the out-of-vocabulary index for unknown tokens, then the vocabulary in order),
 * or encodes them ('one_hot', 'multi_hot', 'count', 'tf_idf'). With `invert: true` it maps indices
 * back to strings. The vocabulary is given (in Node.js also as a file path, one token a line), or
 * learned by `adapt` in descending frequency. With `numOovIndices: n` above 1, unknown tokens spread
 * over n OOV indices by FarmHash Fingerprint64 modulo n, as Keras hashes them.
 *
 * It runs on string data outside the model (kerasm's tensors hold no strings), as Keras recommends:
 * `apply(strings)` returns an int32 tensor of indices ('int') or a float32 encoding, which the
 * model's first layer (an Embedding, a Dense) reads. Shapes follow Keras: a list of tokens gives
 * `[n]` indices, a list of token lists `[n, length]` (rows of one length); 'one_hot' adds a last
 * axis of the vocabulary's size (replacing a last axis of 1, as Keras: `[n, 1]` gives `[n, vocabularySize]`), and 'multi_hot', 'count' and 'tf_idf' encode the last axis, so a
 * list of token lists gives `[n, vocabularySize]` (rows may differ in length) and one list `[vocabularySize]`.
 *
 * @example
 * ```ts
 * const colors = km.layers.stringLookup();
 * await colors.adapt(['red', 'green', 'red', 'blue']);
 * colors.getVocabulary();                      // ['[UNK]', 'red', 'green', 'blue']
 * colors.apply(['blue', 'red', 'pink']);       // int32 [3, 1, 0]
 * const restored = km.layers.StringLookup.fromConfig(JSON.parse(JSON.stringify(colors.getConfig())));
 * // Keras' example of two OOV indices: 'm' hashes to 0 and 'z' to 1.
 * km.layers.stringLookup({ vocabulary: ['a', 'b', 'c', 'd'], numOovIndices: 2 }).apply([['a', 'c', 'd'], ['m', 'z', 'b']]); // [[2, 4, 5], [0, 1, 3]]
 * ```
 */
export class StringLookup extends VocabularyLayer {
  readonly className = 'StringLookup';
  readonly #vocabulary: StringVocabulary;

  protected override get vocabularyTable(): StringVocabulary {
    return this.#vocabulary;
  }

  constructor(args: StringLookupArgs = {}) {
    super({ name: args.name, trainable: args.trainable }, 'StringLookup');
    this.#vocabulary = new StringVocabulary(args, this.where);
  }

  /**
   * Makes a StringLookup from {@link getConfig}'s output (vocabulary and idf weights included), or
   * from Keras 3's `get_config()` (snake_case keys such as `num_oov_indices`; `dtype` and
   * `vocabulary_size` are dropped). An unknown key is refused, naming the option probably meant.
   * @example `const lookup = km.layers.StringLookup.fromConfig({ vocabulary: ['a', 'b'], mask_token: '' });`
   */
  static fromConfig(config: Record<string, unknown>): StringLookup {
    return new StringLookup(optionsFromConfig(config, STRING_LOOKUP_OPTIONS, 'StringLookup.fromConfig') as StringLookupArgs);
  }

  get numOovIndices(): number { return this.#vocabulary.numOovIndices; }
  get maskToken(): string | null { return this.#vocabulary.maskToken; }
  get oovToken(): string { return this.#vocabulary.oovToken; }
  get invert(): boolean { return this.#vocabulary.invert; }

  /**
   * Learns the vocabulary: every distinct token but the special ones, most frequent first, ties by
   * the larger token (code point order, as Keras sorts), cut to maxTokens. `data` is a list of
   * tokens (each its own document, for 'tf_idf'), a list of token lists (a document each), or a
   * km.data Dataset (any async iterable) whose elements are a token or one document's token list.
   * Adapting again learns afresh; a layer whose vocabulary was given (the vocabulary option, a
   * config's, or setVocabulary) refuses (Keras refuses after the vocabulary option only).
   * @example `await lookup.adapt([['a', 'b'], ['b', 'c']]);`
   */
  async adapt(data: StringData | AsyncIterable<unknown>): Promise<void> {
    this.#vocabulary.checkAdaptable();
    const counts = emptyCounts();
    for await (const { data: item, element } of stringItems(data, this.where)) {
      // As Keras: a plain list is that many documents of one token; a dataset element is one document.
      const { rows, shape } = stringRows(item, this.where, false);
      for (const row of shape.length === 1 && !element ? oneTokenDocuments(rows) : rows) countDocument(row, counts);
    }
    this.#vocabulary.learn(counts);
  }

  /** The tokens' indices (int32) or their encoding (float32); see the class for shapes. */
  override apply(strings: StringData): Tensor;
  /** With `invert: true`: the tokens of whole-number indices (a km.Tensor or nested lists), nested as the input. */
  override apply(indices: Tensor | number | readonly number[] | readonly (readonly number[])[]): string | string[] | string[][];
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): never;
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): never;
  override apply(inputs: unknown): unknown {
    return super.apply(inputs as never);
  }

  protected run(inputs: StringData): Tensor {
    if (this.invert) throw new Error(`${this.where} maps indices back to tokens (invert: true), so it reads whole-number indices, not strings. Received: ${JSON.stringify(inputs).slice(0, 60)}.`);
    const v = this.#vocabulary;
    v.checkLearned();
    const { rows, shape } = stringRows(inputs, this.where, v.outputMode === 'int' || v.outputMode === 'one_hot');
    const indices = rows.map((row, r) => row.map((token, i) => v.indexOf(token, `sample ${r}, position ${i}`)));
    if (v.outputMode === 'int') return new Tensor(Int32Array.from(indices.flat()), shape, 'int32');
    if (v.outputMode === 'one_hot') return new Tensor(encodeIndexRows(indices.flat().map((i) => [i]), 'one_hot', v.depth), [...oneHotBase(shape), v.depth], 'float32');
    const encoded = encodeIndexRows(indices, v.outputMode, v.depth, v.outputMode === 'tf_idf' ? v.idfByIndex() : undefined);
    return new Tensor(encoded, [...shape.slice(0, -1), v.depth], 'float32');
  }

  protected override runOther(inputs: unknown): unknown {
    if (!this.invert) return super.runOther(inputs);
    const grid = indexGrid(inputs);
    if (!grid) throw new Error(`${this.where} maps indices back to tokens (invert: true), so it reads whole-number indices: a km.Tensor of rank 0 to 2 or (nested) lists of them. Received: ${describeReceived(inputs)}.`);
    const tokens = grid.values.map((i) => this.#vocabulary.tokenAt(i));
    if (grid.shape.length === 0) return tokens[0];
    if (grid.shape.length === 1) return tokens;
    const width = grid.shape[1];
    return Array.from({ length: grid.shape[0] }, (_, r) => tokens.slice(r * width, (r + 1) * width));
  }

  override getConfig(): Record<string, unknown> {
    const v = this.#vocabulary;
    const vocabulary = v.saved;
    return {
      ...super.getConfig(),
      maxTokens: v.maxTokens,
      numOovIndices: v.numOovIndices,
      maskToken: v.maskToken,
      oovToken: v.oovToken,
      vocabulary,
      invert: v.invert,
      outputMode: v.outputMode,
      idfWeights: vocabulary && v.idfWeights,
      padToMaxTokens: v.padToMaxTokens,
      sparse: false,
      encoding: 'utf-8',
    };
  }
}

/**
 * Keras' StringLookup (see {@link StringLookup}): string tokens to indices or encodings, run on the data before the model.
 * @example `const lookup = km.layers.stringLookup({ vocabulary: ['a', 'b', 'c'] }); lookup.apply(['c', 'x']); // int32 [3, 0]`
 */
export function stringLookup(args?: StringLookupArgs): StringLookup {
  checkOptions(args, STRING_LOOKUP_OPTIONS, 'km.layers.stringLookup');
  return new StringLookup(args);
}

/** Whole-number indices of rank 0 to 2 (a km.Tensor, a number, or rectangular lists), flat with their shape; null for anything else. */
function indexGrid(inputs: unknown): { values: number[]; shape: number[] } | null {
  let values: number[];
  let shape: number[];
  if (inputs instanceof Tensor) [values, shape] = [Array.from(inputs.dataSync()), [...inputs.shape]];
  else if (typeof inputs === 'number') [values, shape] = [[inputs], []];
  else if (Array.isArray(inputs) && inputs.every(Array.isArray)) [values, shape] = [inputs.flat(), [inputs.length, (inputs[0] as unknown[] | undefined)?.length ?? 0]];
  else if (Array.isArray(inputs)) [values, shape] = [inputs as number[], [inputs.length]];
  else return null;
  const size = shape.reduce((a, b) => a * b, 1);
  return shape.length <= 2 && values.length === size && values.every((v) => Number.isInteger(v)) ? { values, shape } : null;
}

/** A plain list of tokens as adapt reads it: each token its own document. */
function oneTokenDocuments(rows: string[][]): string[][] {
  return rows[0].map((token) => [token]);
}

registerBuiltinLayer('StringLookup', (config) => StringLookup.fromConfig(config));
