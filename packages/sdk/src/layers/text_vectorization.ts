import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { Tensor } from '../tensor.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { IndexOutputMode } from './index_output.js';
import { encodeIndexRows } from './index_rows_encoding.js';
import { registerBuiltinLayer } from './registry.js';
import { stringItems } from './string_data.js';
import { optionsFromConfig, type StringData } from './string_layer.js';
import { countDocument, emptyCounts, StringVocabulary } from './string_vocabulary.js';
import { VocabularyLayer } from './vocabulary_layer.js';
import { checkSplit, checkStandardize, ngramTokens, ngramWidths, splitText, standardizeText, type TextNgrams, type TextSplit, type TextStandardize, type TextStandardizeOption } from './text_standardize.js';

/** Options of {@link TextVectorization}, with Keras 3's defaults; `Ragged` is the type of `ragged`, which sets what `apply` returns. */
export interface TextVectorizationArgs<Ragged extends boolean = boolean> {
  /** The layer's name (default: 'text_vectorization', numbered). */
  name?: string;
  /** Keras' trainable flag, kept in the config; the layer has no weights (default true). */
  trainable?: boolean;
  /** The largest vocabulary `adapt` keeps, counting the padding ('' in 'int' mode) and out-of-vocabulary ('[UNK]') indices. */
  maxTokens?: number | null;
  /**
   * How each string is cleaned (default 'lower_and_strip_punctuation': A-Z lowered and ASCII
   * punctuation removed, as Keras does; other letters and punctuation stay), 'lower',
   * 'strip_punctuation' (or camelCase, 'lowerAndStripPunctuation'), null (as given), or a function of one string (not saved by getConfig).
   */
  standardize?: TextStandardizeOption;
  /** How each cleaned string becomes tokens: 'whitespace' (default), 'character', null (the whole string), or a function of one string (not saved by getConfig). */
  split?: TextSplit;
  /** N-grams of the tokens, joined by a space: n (widths 1 to n), a list of widths, or null (default: the tokens). */
  ngrams?: TextNgrams;
  /** 'int' (default): a token index per token. Or one row per string: 'multi_hot', 'count' or 'tf_idf'. */
  outputMode?: Exclude<IndexOutputMode, 'one_hot'> | 'binary' | 'tf-idf';
  /** 'int' only: pad with 0 or cut at the end to this many indices (default: the batch's longest string). */
  outputSequenceLength?: number | null;
  /** Encodings only: make the output `maxTokens` wide whatever the vocabulary's size (default false). */
  padToMaxTokens?: boolean;
  /**
   * The tokens to index, in order (optionally after '' and '[UNK]', as getVocabulary lists them);
   * or, in Node.js, the path of a text file with one token a line; or learn them with `adapt`.
   */
  vocabulary?: readonly string[] | string | null;
  /** 'tf_idf' only: each vocabulary token's inverse document frequency (needed with `vocabulary`). */
  idfWeights?: readonly number[] | null;
  /** Keras' sparse outputs; only false. */
  sparse?: boolean;
  /**
   * 'int' without outputSequenceLength only: give each text its own Int32Array of indices, as long
   * as its tokens (Keras' ragged output), instead of a tensor padded to the longest (default false).
   */
  ragged?: Ragged;
  /** Only 'utf-8' (JavaScript strings need no decoding). */
  encoding?: string;
}

const TEXT_VECTORIZATION_OPTIONS = optionNames<TextVectorizationArgs>({
  name: true, trainable: true, maxTokens: true, standardize: true, split: true, ngrams: true, outputMode: true, outputSequenceLength: true, padToMaxTokens: true, vocabulary: true, idfWeights: true, sparse: true, ragged: true, encoding: true,
});

const quote = (value: unknown) => JSON.stringify(value) ?? String(value);

/** What `apply` gives a list of texts: a tensor, or with `ragged: true` an Int32Array of indices per text. */
export type TextVectorizationOutput<Ragged extends boolean> = Ragged extends true ? Int32Array[] : Tensor;
/** What `apply` gives one text (a sample without the batch axis): a tensor, or with `ragged: true` its Int32Array of indices. */
export type TextVectorizationSample<Ragged extends boolean> = Ragged extends true ? Int32Array : Tensor;
type EitherOutput<Ragged extends boolean> = TextVectorizationOutput<Ragged> | TextVectorizationSample<Ragged>;

/**
 * Keras' TextVectorization: turns strings into token indices or encodings. Each string is
 * standardized (lowercased, punctuation stripped), split (on whitespace), optionally made into
 * n-grams, then looked up in a vocabulary with '' (padding) at 0 and '[UNK]' (unknown tokens) at 1,
 * learned by `adapt` (most frequent first) or given.
 *
 * It runs on the text outside the model (kerasm's tensors hold no strings), as Keras recommends:
 * `apply(texts)` returns an int32 `[texts, length]` tensor of indices padded with 0 ('int'), or a
 * float32 `[texts, vocabularySize]` encoding ('multi_hot', 'count', 'tf_idf'); one string gives one
 * sample without the batch axis, for a dataset's `map`. The model starts at an Embedding or a Dense.
 * With `ragged: true` ('int' mode, no outputSequenceLength) `apply` returns instead one Int32Array
 * of indices per text, unpadded (Keras' ragged tensor; kerasm's tensors are dense): the type
 * parameter `Ragged` follows the option, so `apply`'s return type is exact.
 * Save it beside the model with `getConfig()` (plain JSON, the vocabulary included) and restore it
 * with `TextVectorization.fromConfig(config)`.
 *
 * @example
 * ```ts
 * const vectorize = km.layers.textVectorization({ maxTokens: 5000, outputSequenceLength: 20 });
 * await vectorize.adapt(trainTexts);
 * const model = km.sequential([
 *   km.layers.embedding({ inputDim: vectorize.vocabularySize(), outputDim: 16, inputShape: [20] }),
 *   km.layers.globalAveragePooling1d(),
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
 * await model.fit(vectorize.apply(trainTexts), km.tensor(labels, [labels.length, 1]), { epochs: 10 });
 * ```
 */
export class TextVectorization<Ragged extends boolean = false> extends VocabularyLayer<EitherOutput<Ragged>> {
  readonly className = 'TextVectorization';
  readonly ragged: Ragged;
  readonly standardize: TextStandardize;
  readonly split: TextSplit;
  readonly ngrams: TextNgrams;
  readonly outputSequenceLength: number | null;
  readonly #widths: number[] | null;
  readonly #vocabulary: StringVocabulary;

  protected override get vocabularyTable(): StringVocabulary {
    return this.#vocabulary;
  }

  constructor(args: TextVectorizationArgs<Ragged> = {}) {
    super({ name: args.name, trainable: args.trainable }, 'TextVectorization');
    const where = this.where;
    this.standardize = checkStandardize(args.standardize === undefined ? 'lower_and_strip_punctuation' : args.standardize, where);
    this.split = checkSplit(args.split === undefined ? 'whitespace' : args.split, where);
    this.#widths = ngramWidths(args.ngrams, where);
    this.ngrams = args.ngrams ?? null;
    if ((args.outputMode as string) === 'one_hot' || (args.outputMode as string) === 'oneHot') {
      throw new Error(`${where}: outputMode 'one_hot' is not supported for text (Keras documents 'int', 'multi_hot', 'count' and 'tf_idf'). Received: outputMode=${quote(args.outputMode)}. Use 'int' and an Embedding, or km.layers.stringLookup({ outputMode: 'one_hot' }) on tokens.`);
    }
    const { name: _n, trainable: _t, standardize: _s, split: _p, ngrams: _g, outputSequenceLength: _o, ragged: _r, ...lookup } = args;
    this.#vocabulary = new StringVocabulary({ ...lookup, maskToken: '' }, where);
    const length = args.outputSequenceLength ?? null;
    if (length !== null && this.#vocabulary.outputMode !== 'int') {
      throw new Error(`${where}: outputSequenceLength pads or cuts the indices of outputMode 'int' only. Received: outputMode=${quote(this.#vocabulary.outputMode)}, outputSequenceLength=${quote(length)}.`);
    }
    if (length !== null && !(Number.isInteger(length) && length > 0)) throw new Error(`${where}: outputSequenceLength must be a positive integer or null. Received: outputSequenceLength=${quote(length)}.`);
    this.outputSequenceLength = length;
    const ragged = args.ragged ?? false;
    if (typeof ragged !== 'boolean') throw new Error(`${where}: ragged must be true or false. Received: ragged=${quote(args.ragged)}.`);
    if (ragged && this.#vocabulary.outputMode !== 'int') {
      throw new Error(`${where}: ragged gives each text its own list of token indices, so it needs outputMode 'int' (as in Keras). Received: outputMode=${quote(this.#vocabulary.outputMode)}, ragged=true. Remove ragged, or set outputMode: 'int'.`);
    }
    if (ragged && length !== null) {
      throw new Error(`${where}: ragged keeps each text's own length, so outputSequenceLength must not be set (as in Keras). Received: outputSequenceLength=${quote(length)}, ragged=true. Remove one of them.`);
    }
    this.ragged = ragged as Ragged;
  }

  /**
   * Makes a TextVectorization from {@link getConfig}'s output (vocabulary and idf weights included),
   * or from Keras 3's `get_config()` (snake_case keys such as `output_sequence_length`; `dtype` and
   * `vocabulary_size` are dropped). An unknown key is refused, naming the option probably meant.
   * Whether it is ragged is known only at run time, so `apply` returns either output type.
   * @example `const vectorize = km.layers.TextVectorization.fromConfig(JSON.parse(savedText));`
   */
  static fromConfig(config: Record<string, unknown>): TextVectorization<boolean> {
    return new TextVectorization<boolean>(optionsFromConfig(config, TEXT_VECTORIZATION_OPTIONS, 'TextVectorization.fromConfig') as TextVectorizationArgs);
  }

  /** The tokens of one string: standardized, split, then made into n-grams. */
  tokenize(text: string): string[] {
    const tokens = splitText(standardizeText(text, this.standardize, this.where), this.split, this.where);
    return this.#widths ? ngramTokens(tokens, this.#widths) : tokens;
  }

  /**
   * Learns the vocabulary from texts: each string's tokens, most frequent first, ties by the larger
   * token (code point order, as Keras sorts), cut to maxTokens; for 'tf_idf' each string is a
   * document. `data` is a list of strings, or a km.data Dataset (any async iterable) of strings or lists of them.
   * Adapting again learns afresh; a layer whose vocabulary was given (the vocabulary option, a
   * config's, or setVocabulary) refuses (Keras refuses after the vocabulary option only).
   * @example `await vectorize.adapt(km.data.array(texts));`
   */
  async adapt(data: StringData | AsyncIterable<unknown>): Promise<void> {
    this.#vocabulary.checkAdaptable();
    const counts = emptyCounts();
    for await (const { data: item } of stringItems(data, this.where)) {
      for (const text of this.#texts(item).texts) countDocument(this.tokenize(text), counts);
    }
    this.#vocabulary.learn(counts);
  }

  /** One string (a sample without the batch axis), a list of strings, or Keras' `[[text], [text]]`. */
  #texts(data: StringData): { texts: string[]; single: boolean } {
    if (typeof data === 'string') return { texts: [data], single: true };
    const bad = data.findIndex((row) => typeof row !== 'string' && row.length !== 1);
    if (bad >= 0) throw new Error(`${this.where} reads one string per sample: a string, a list of strings, or lists of one string each (Keras' shape [n, 1]). Received a list whose entry ${bad} holds ${data[bad].length} strings. Join each sample's text into one string, or use km.layers.stringLookup for tokens split already.`);
    return { texts: data.map((row) => (typeof row === 'string' ? row : row[0])), single: false };
  }

  /** One text's indices (int32 `[length]`) or encoding (float32 `[depth]`): a sample without the batch axis; with `ragged: true`, its indices as an Int32Array. */
  override apply(text: string): TextVectorizationSample<Ragged>;
  /** The texts' indices (int32 `[texts, length]`, padded with 0) or encodings (float32 `[texts, depth]`); with `ragged: true`, one Int32Array of indices per text, unpadded. */
  override apply(texts: readonly string[] | readonly (readonly string[])[]): TextVectorizationOutput<Ragged>;
  /** Either, for data whose type does not say which. */
  override apply(data: StringData): EitherOutput<Ragged>;
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): never;
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): never;
  override apply(inputs: unknown): unknown {
    return super.apply(inputs as never);
  }

  protected run(inputs: StringData): EitherOutput<Ragged> {
    const v = this.#vocabulary;
    v.checkLearned();
    const { texts, single } = this.#texts(inputs);
    const indices = texts.map((text, r) => this.tokenize(text).map((token, i) => v.indexOf(token, `text ${r}, token ${i}`)));
    if (this.ragged) {
      const rows = indices.map((row) => Int32Array.from(row));
      return (single ? rows[0] : rows) as EitherOutput<Ragged>;
    }
    return this.#dense(indices, texts.length, single) as EitherOutput<Ragged>;
  }

  #dense(indices: number[][], count: number, single: boolean): Tensor {
    const v = this.#vocabulary;
    if (v.outputMode === 'int') {
      const length = this.outputSequenceLength ?? Math.max(0, ...indices.map((row) => row.length));
      const out = new Int32Array(count * length);
      indices.forEach((row, r) => out.set(row.slice(0, length), r * length));
      return new Tensor(out, single ? [length] : [count, length], 'int32');
    }
    const encoded = encodeIndexRows(indices, v.outputMode as Exclude<IndexOutputMode, 'int'>, v.depth, v.outputMode === 'tf_idf' ? v.idfByIndex() : undefined);
    return new Tensor(encoded, single ? [v.depth] : [count, v.depth], 'float32');
  }

  /** Plain JSON with the vocabulary; refused when standardize or split is a function, which JSON cannot hold. */
  override getConfig(): Record<string, unknown> {
    for (const [key, value] of [['standardize', this.standardize], ['split', this.split]] as const) {
      if (typeof value === 'function') {
        throw new Error(
          `${this.where}: its ${key} is a function, which a config cannot hold (Keras saves only registered serializable functions). ` +
            `Save the vocabulary instead (getVocabulary()), and restore with km.layers.textVectorization({ ${key}: sameFunction, vocabulary }).`,
        );
      }
    }
    const v = this.#vocabulary;
    const vocabulary = v.saved;
    return {
      ...super.getConfig(),
      maxTokens: v.maxTokens,
      standardize: this.standardize,
      split: this.split,
      ngrams: this.ngrams,
      outputMode: v.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: v.padToMaxTokens,
      sparse: false,
      ragged: this.ragged,
      vocabulary,
      idfWeights: vocabulary && v.idfWeights,
      encoding: 'utf-8',
    };
  }
}

/**
 * Keras' TextVectorization (see {@link TextVectorization}): texts to token indices or encodings, run on the data before the model.
 * @example `const vectorize = km.layers.textVectorization({ outputSequenceLength: 8 }); await vectorize.adapt(texts);`
 * @example `km.layers.textVectorization({ vocabulary: ['a', 'b'], ragged: true }).apply(['a b a', 'b']); // [Int32Array [2, 3, 2], Int32Array [3]]`
 */
export function textVectorization<Ragged extends boolean = false>(args?: TextVectorizationArgs<Ragged>): TextVectorization<Ragged> {
  checkOptions(args, TEXT_VECTORIZATION_OPTIONS, 'km.layers.textVectorization');
  return new TextVectorization<Ragged>(args);
}

registerBuiltinLayer('TextVectorization', (config) => TextVectorization.fromConfig(config));
