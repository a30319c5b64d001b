import type { Backend, BufferId } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { adaptBatches, type AdaptData } from './normalization_statistics.js';
import { registerBuiltinLayer } from './registry.js';
import { toCamelCase } from '../io/keras_names.js';
import { IndexOutput, LOOKUP_OUTPUT_MODES, type IndexOutputMode, type IndexSpace } from './index_output.js';
import { mapValues, MATCHING_SCRATCH } from './value_matching.js';
import { checkAdaptableVocabulary, checkNumOovIndices, checkOovHashing, countTokens, frequentTokens } from './vocabulary.js';
import { readVocabularyFile } from './vocabulary_file.js';
import { isExactId, readOnHost } from './host_ids.js';
import { checkOptions } from '../utils/options.js';
import { INTEGER_LOOKUP_OPTIONS } from './layer_options.js';

/** Options of {@link IntegerLookup}, with Keras 3's defaults. */
export interface IntegerLookupArgs extends LayerArgs {
  /**
   * The tokens (whole numbers) to index, in order (optionally after the special tokens, as
   * getVocabulary lists them); or, in Node.js, the path of a text file with one a line; or learn them with `adapt`.
   */
  vocabulary?: readonly number[] | string | null;
  /** The largest vocabulary `adapt` keeps, counting the mask and out-of-vocabulary indices. */
  maxTokens?: number | null;
  /**
   * How many indices the out-of-vocabulary tokens get (default 1): 0 refuses unknown tokens, and
   * n > 1 gives an unknown token t the OOV index floormod(t, n), as Keras does (this runs on the
   * host, like Hashing: one read back per batch). At most 2^24, where float32 indices stop being exact.
   */
  numOovIndices?: number;
  /** A token that means padding, given index 0 (default null: none). */
  maskToken?: number | null;
  /** The token `invert` writes for an out-of-vocabulary index (default -1). */
  oovToken?: number;
  /** Map indices back to tokens instead (default false). */
  invert?: boolean;
  /**
   * 'int' (default): each token becomes its index. Or Keras' encodings of the indices over the
   * vocabulary: 'one_hot' (a row per token), 'multi_hot' (a row per sample, 1 where an index
   * occurs), 'count', or 'tf_idf' (counts times `idfWeights`). These leave the mask token out.
   */
  outputMode?: IndexOutputMode;
  /** 'tf_idf' only: the inverse document frequency of each vocabulary token (needed with `vocabulary`; `adapt` computes them). */
  idfWeights?: readonly number[] | null;
  /** Encodings only: make the output `maxTokens` wide whatever the vocabulary's size (default false). */
  padToMaxTokens?: boolean;
  /** Keras' sparse outputs; only false. */
  sparse?: boolean;
}
// The dtypes a Keras config may give an IntegerLookup (its output dtype), dropped by fromConfig.
const CONFIG_DTYPES: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float32']);

/**
 * Keras' IntegerLookup: maps whole-number tokens to contiguous indices through a vocabulary, with
 * the mask token (if any) at index 0, then the out-of-vocabulary index, then the vocabulary in
 * order (`getVocabulary()` lists them all). Unknown tokens go to the out-of-vocabulary index. With
 * `invert: true` it maps indices back to tokens. The vocabulary is given (in Node.js also as a file
 * path, one integer a line), or learned by `adapt` in descending frequency. With `numOovIndices: n`
 * above 1, an unknown token t goes to OOV index floormod(t, n), as Keras does
 * (`integerLookup({ vocabulary: [12, 36, 1138, 42], numOovIndices: 2 })` maps 37 to 1 and 1000 to 0). Tokens are whole numbers from -2^24 to 2^24 (float32 batches hold those
 * exactly). The indices are whole float32 numbers, so an Embedding after it reads them; a model
 * input it reads directly may be int32. It has no weights and passes no gradient to its input.
 *
 * The lookup is a few elementwise kernels per vocabulary entry on the active backend, so it suits
 * vocabularies of up to a few thousand tokens.
 *
 * @example
 * ```ts
 * const lookup = km.layers.integerLookup({ inputShape: [10] });
 * await lookup.adapt(userIds); // int32 tensor [samples, 10]
 * const model = km.sequential([
 *   lookup,
 *   km.layers.embedding({ inputDim: lookup.vocabularySize(), outputDim: 8 }),
 *   km.layers.globalAveragePooling1d(),
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * ```
 */
export class IntegerLookup extends Layer {
  readonly className = 'IntegerLookup';
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: number | null;
  readonly oovToken: number;
  readonly invert: boolean;
  readonly outputMode: IndexOutputMode;
  readonly padToMaxTokens: boolean;
  readonly #output: IndexOutput;
  readonly #where: string;
  #vocabulary: number[] | null = null;
  #idf: number[] | null = null;
  // Idf weights given for the special indices (a vocabulary set with its special tokens); else their mean.
  #specialIdf: number[] | null = null;
  // Given (the vocabulary option, a config's, or setVocabulary) rather than learned: adapt is refused, as Keras does.
  #given = false;
  #perSample = 0;

  constructor(args: IntegerLookupArgs = {}) {
    super(args, 'IntegerLookup');
    const where = (this.#where = `IntegerLookup layer '${this.name}'`);
    this.#output = new IndexOutput(args, LOOKUP_OUTPUT_MODES, where);
    this.outputMode = this.#output.mode;
    this.numOovIndices = checkNumOovIndices(args.numOovIndices, where);
    this.maskToken = args.maskToken ?? null;
    this.oovToken = args.oovToken ?? -1;
    for (const [name, value] of [['maskToken', this.maskToken], ['oovToken', this.oovToken]] as const) {
      if (value !== null && !isExactId(value)) throw new Error(`${where}: ${name} must be a whole number from -2^24 to 2^24${name === 'maskToken' ? ' or null' : ''}. Received: ${name}=${JSON.stringify(value)}.`);
    }
    this.invert = args.invert ?? false;
    if (typeof this.invert !== 'boolean') throw new Error(`${where}: invert must be true or false. Received: invert=${JSON.stringify(args.invert)}.`);
    if (this.invert && this.outputMode !== 'int') throw new Error(`${where}: invert maps indices back to tokens, so outputMode must be 'int'. Received: outputMode=${JSON.stringify(args.outputMode)}.`);
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    if (this.padToMaxTokens && (this.outputMode === 'int' || args.maxTokens == null)) {
      throw new Error(`${where}: padToMaxTokens pads an encoded output to maxTokens, so it needs outputMode 'one_hot', 'multi_hot', 'count' or 'tf_idf' and maxTokens. Received: outputMode=${JSON.stringify(this.outputMode)}, maxTokens=${JSON.stringify(args.maxTokens ?? null)}.`);
    }
    if (args.idfWeights != null && this.outputMode !== 'tf_idf') {
      throw new Error(`${where}: idfWeights weigh the counts of outputMode 'tf_idf' only. Received: outputMode=${JSON.stringify(this.outputMode)}. Remove idfWeights or set outputMode: 'tf_idf'.`);
    }
    if (this.outputMode === 'tf_idf' && Array.isArray(args.vocabulary) && args.idfWeights == null) {
      throw new Error(`${where}: outputMode 'tf_idf' with a given vocabulary needs its idfWeights, one per token. Pass idfWeights, or leave out the vocabulary and call adapt.`);
    }
    this.maxTokens = args.maxTokens ?? null;
    if (this.maxTokens !== null && (!Number.isInteger(this.maxTokens) || this.maxTokens <= this.#tokenStart())) {
      throw new Error(`${where}: maxTokens must be an integer above ${this.#tokenStart()} (the mask and out-of-vocabulary indices). Received: maxTokens=${JSON.stringify(args.maxTokens)}.`);
    }
    if (args.vocabulary != null) this.setVocabulary(args.vocabulary, args.idfWeights ?? undefined);
  }

  /**
   * Makes an IntegerLookup from {@link getConfig}'s output, or from Keras 3's `get_config()`
   * (snake_case keys such as `num_oov_indices`). Keras' `dtype` (its output dtype: 'int64' for
   * outputMode 'int', 'float32' for the encodings; any integer dtype, also as a DTypePolicy) is
   * dropped, since the indices are whole float32 numbers here; so are `vocabulary_size` and
   * `vocabulary_dtype` ('int64', the only one Keras takes).
   * @example `const lookup = km.layers.IntegerLookup.fromConfig({ vocabulary: [12, 36], num_oov_indices: 2, dtype: 'int64' });`
   */
  static fromConfig(config: Record<string, unknown>): IntegerLookup {
    const where = 'IntegerLookup config';
    checkOovHashing(config, true, where);
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) options[toCamelCase(key)] = value;
    const { oovMethod: _method, salt: _salt, vocabularySize: _size, vocabularyDtype, dtype, ...args } = options;
    if (vocabularyDtype != null && vocabularyDtype !== 'int64') {
      throw new Error(`${where}: vocabulary_dtype must be 'int64', the only one Keras' IntegerLookup takes. Received: vocabulary_dtype=${JSON.stringify(vocabularyDtype)}. Remove it or set it to 'int64'.`);
    }
    const dtypeName = typeof dtype === 'object' && dtype !== null ? (dtype as { config?: { name?: unknown } }).config?.name : dtype;
    if (dtype != null && !CONFIG_DTYPES.has(dtypeName as string)) {
      throw new Error(`${where}: dtype must be one Keras saves for IntegerLookup: an integer dtype ('int64' for outputMode 'int') or 'float32' (the encodings); kerasm outputs the indices as whole float32 numbers either way. Received: dtype=${JSON.stringify(dtype)?.slice(0, 200)}. Remove dtype.`);
    }
    return new IntegerLookup(args as IntegerLookupArgs);
  }

  // As Keras: the mask token has index 0 in 'int' mode only; encodings leave it out.
  #tokenStart(): number {
    return (this.maskToken === null || this.outputMode !== 'int' ? 0 : 1) + this.numOovIndices;
  }

  /**
   * Replaces the vocabulary (tokens to index in order, without the mask and out-of-vocabulary
   * tokens or with them first, as {@link getVocabulary} lists them: Keras drops them then), or (in
   * Node.js) reads it from the text file at a path, one whole number a line.
   *
   * @example
   * ```ts
   * lookup.setVocabulary([12, 7, 40]); // 12 → 1, 7 → 2, 40 → 3, anything else → 0
   * ```
   * With outputMode 'tf_idf', `idfWeights` gives each token's inverse document frequency (with the
   * special tokens' own first when the vocabulary lists them). The layer then refuses `adapt`, as Keras does.
   */
  setVocabulary(vocabulary: readonly number[] | string, idfWeights?: readonly number[]): void {
    const where = this.#where;
    if (typeof vocabulary === 'string') {
      this.setVocabulary(this.#readVocabularyFile(vocabulary), idfWeights);
      return;
    }
    if (!Array.isArray(vocabulary) || !vocabulary.every(isExactId)) {
      throw new Error(`${where}: vocabulary must be a list of whole numbers from -2^24 to 2^24 (what float32 batches hold exactly). Received: vocabulary=${JSON.stringify(vocabulary)?.slice(0, 200)}.`);
    }
    // As Keras: leading special tokens (the mask token, then the OOV token once per OOV index) are dropped.
    const special = this.#specialTokens();
    const withSpecial = special.length > 0 && special.every((t, i) => vocabulary[i] === t);
    const tokens = withSpecial ? vocabulary.slice(special.length) : [...vocabulary];
    const seen = new Set<number>();
    for (const token of tokens) {
      if (seen.has(token)) throw new Error(`${where}: the vocabulary holds ${token} twice. Each token must appear once.`);
      if (token === this.maskToken || (this.numOovIndices > 0 && token === this.oovToken)) {
        throw new Error(`${where}: the vocabulary holds ${token}, the ${token === this.maskToken ? 'maskToken' : 'oovToken'}, after its first entries; the special tokens get their own indices. Remove it, or list the special tokens first (${JSON.stringify(special).slice(0, 200)}), as getVocabulary() does.`);
      }
      seen.add(token);
    }
    if (this.maxTokens !== null && tokens.length + this.#tokenStart() > this.maxTokens) {
      throw new Error(`${where}: the vocabulary has ${tokens.length} tokens, which with ${this.#tokenStart()} special indices exceeds maxTokens=${this.maxTokens}. Raise maxTokens or shorten the vocabulary.`);
    }
    if (this.outputMode === 'tf_idf') {
      const lengths = withSpecial ? [tokens.length, vocabulary.length] : [tokens.length];
      if (!Array.isArray(idfWeights) || !lengths.includes(idfWeights.length) || !idfWeights.every(Number.isFinite)) {
        throw new Error(`${where}: outputMode 'tf_idf' needs idfWeights, one finite number per vocabulary token (${lengths.join(' or ')}). Received: idfWeights=${JSON.stringify(idfWeights)?.slice(0, 200)}.`);
      }
      const extra = idfWeights.length - tokens.length;
      this.#specialIdf = extra > 0 ? idfWeights.slice(0, extra) : null;
      this.#idf = idfWeights.slice(extra);
    } else if (idfWeights !== undefined) {
      throw new Error(`${where}: idfWeights weigh the counts of outputMode 'tf_idf' only. Received: outputMode=${JSON.stringify(this.outputMode)}.`);
    }
    this.#vocabulary = tokens;
    this.#given = true;
  }

  /** Every token by its index: the mask token (if any), the out-of-vocabulary token (once per OOV index), then the vocabulary. */
  getVocabulary(): number[] {
    return [...this.#specialTokens(), ...this.#learned()];
  }

  /** How many indices the layer outputs: the vocabulary with the mask and out-of-vocabulary indices (Keras' vocabulary_size). */
  vocabularySize(): number {
    return this.getVocabulary().length;
  }

  #specialTokens(): number[] {
    return [...(this.maskToken === null || this.outputMode !== 'int' ? [] : [this.maskToken]), ...new Array<number>(this.numOovIndices).fill(this.oovToken)];
  }

  /** The whole-number tokens of a vocabulary file (Keras reads one a line); 'tf_idf' is refused, as Keras does. */
  #readVocabularyFile(path: string): number[] {
    if (this.outputMode === 'tf_idf') {
      throw new Error(`${this.#where}: outputMode 'tf_idf' cannot read its vocabulary from a file, as in Keras (the file has no idf weights). Received: vocabulary=${JSON.stringify(path)}. Pass the tokens as an array with their idfWeights, or leave out the vocabulary and call adapt.`);
    }
    return readVocabularyFile(path, this.#where).map((line, i) => {
      const token = /^\s*[-+]?\d+\s*$/.test(line) ? Number(line) : NaN;
      if (!isExactId(token)) throw new Error(`${this.#where}: line ${i + 1} of the vocabulary file '${path}' is ${JSON.stringify(line)}, not a whole number from -2^24 to 2^24. Write one integer token a line.`);
      return token;
    });
  }

  /** Columns of an encoded output: the vocabulary's indices, or maxTokens with padToMaxTokens. */
  #depth(): number {
    return this.padToMaxTokens ? this.maxTokens! : this.vocabularySize();
  }

  /** Each index's weight for 'tf_idf', as Keras pads them: the special indices' given weights or else the mean, 0 past the vocabulary. */
  #idfByIndex(): number[] {
    const idf = this.#idf!;
    const mean = idf.length ? idf.reduce((a, b) => a + b, 0) / idf.length : 0;
    const weights = [...(this.#specialIdf ?? new Array<number>(this.#tokenStart()).fill(mean)), ...idf];
    return [...weights, ...new Array<number>(this.#depth() - weights.length).fill(0)];
  }

  #learned(): number[] {
    if (!this.#vocabulary) {
      throw new Error(`${this.#where} has no vocabulary yet. Call await layer.adapt(data) on training data, or create it with vocabulary: [...].`);
    }
    return this.#vocabulary;
  }

  /**
   * Learns the vocabulary from `data` (a km.Tensor of whole numbers, the same as plain arrays, such
   * as `[1, 0, 1]` or nested ones, or a km.data Dataset of batches): every distinct token but the mask and out-of-vocabulary tokens, most frequent first,
   * ties broken by the larger token first (Keras sorts by (count, token) and reverses), cut to maxTokens.
   * Adapting again learns afresh; a layer whose vocabulary was given (the vocabulary option, a
   * config's, or setVocabulary) refuses (Keras refuses after the vocabulary option only).
   *
   * @example
   * ```ts
   * await lookup.adapt(km.tensor(Int32Array.of(4, 4, 9, 2), [4, 1]));
   * lookup.getVocabulary(); // [-1, 4, 9, 2]
   * ```
   */
  async adapt(data: AdaptData): Promise<void> {
    checkAdaptableVocabulary(this.#where, this.invert, this.#given, "a saved config's too");
    const counts = new Map<number, number>();
    // For 'tf_idf': in how many documents (the rows of a batch) each token occurs.
    const documentCounts = new Map<number, number>();
    let documents = 0;
    // A plain array is read as int32, so that a token past float32's whole numbers is refused rather than rounded.
    for await (const batch of adaptBatches(data, this.#where, 'int32')) {
      const values = batch.dataSync();
      countTokens(values, counts, this.#where);
      if (this.outputMode !== 'tf_idf') continue;
      const rows = batch.shape[0];
      const perRow = values.length / rows;
      for (let r = 0; r < rows; r++) countTokens([...new Set(values.subarray(r * perRow, (r + 1) * perRow))], documentCounts, this.#where);
      documents += rows;
    }
    for (const special of [this.maskToken, ...(this.numOovIndices ? [this.oovToken] : [])]) if (special !== null) counts.delete(special);
    const room = this.maxTokens === null ? Infinity : this.maxTokens - this.#tokenStart();
    this.#vocabulary = frequentTokens(counts, room);
    this.#specialIdf = null;
    if (this.outputMode === 'tf_idf') this.#idf = this.#vocabulary.map((token) => Math.log(1 + documents / (1 + documentCounts.get(token)!)));
  }

  override get readsIndices(): boolean {
    return true;
  }

  override checkModelInput(values: Float32Array | Int32Array, perSample: number, what: string): void {
    const known = this.numOovIndices === 0 ? new Set([...this.getVocabulary(), ...(this.maskToken === null ? [] : [this.maskToken])]) : null;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const at = `sample ${Math.floor(i / perSample)} (position ${i % perSample} of the sample)`;
      if (!isExactId(v)) {
        throw new Error(`${this.#where} reads ${what} as whole-number ${this.invert ? 'indices' : 'tokens'} from -2^24 to 2^24 (what float32 batches hold exactly), but it holds ${v} at ${at}. Pass whole numbers in that range (an int32 tensor).`);
      }
      if (known && !this.invert && !known.has(v)) {
        throw new Error(`${this.#where} has numOovIndices=0, so every token must be in its vocabulary, but ${what} holds ${v} at ${at}. Add it to the vocabulary, or set numOovIndices: 1.`);
      }
    }
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.#output.shape(singleInput(this, inputShapes), this.#output.encoding ? this.#depth() : 0, this.#where);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#perSample = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  #space(batch: number): IndexSpace {
    return { perSample: this.#perSample, depth: this.#output.encoding ? this.#depth() : 0, scratch: MATCHING_SCRATCH * batch * this.#perSample };
  }

  override workspaceSize(batch: number): number {
    return this.#output.workspaceSize(batch, this.#space(batch));
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    this.#output.initWorkspace(backend, workspace, batch, this.#space(batch));
  }

  forward(ctx: ForwardContext): void {
    const tokens = this.getVocabulary();
    const n = ctx.batch * this.#perSample;
    // An index outside the table inverts to oovToken; an unknown token looks up the OOV index (after the mask's 0 in 'int' mode).
    const pairs = tokens.map((token, index): [number, number] => (this.invert ? [index, token] : [token, index]));
    const otherwise = this.invert ? this.oovToken : this.#tokenStart() - this.numOovIndices;
    const lookUp = this.numOovIndices > 1 && !this.invert
      ? (out: BufferId) => ctx.backend.write(out, this.#hostLookUp(ctx, n))
      : (out: BufferId) => mapValues(ctx.backend, ctx.inputs[0], out, pairs, otherwise, n, ctx.workspace);
    // Encodings weigh the mask token 0 (Keras drops it), and 'tf_idf' scales the counts.
    const maskToken = this.maskToken;
    const writeWeights = maskToken === null ? undefined : (out: BufferId) => mapValues(ctx.backend, ctx.inputs[0], out, [[maskToken, 0]], 1, n, ctx.workspace);
    const idf = this.outputMode === 'tf_idf' ? this.#idfByIndex() : undefined;
    this.#output.write(ctx, this.#space(ctx.batch), lookUp, { writeWeights, idf });
  }

  /**
   * The indices with several OOV indices, looked up on the host: the backends have no floor
   * kernel for Keras' floormod(token, numOovIndices), which spreads the unknown tokens.
   */
  #hostLookUp(ctx: ForwardContext, n: number): Float32Array {
    const x = readOnHost(ctx.backend, ctx.inputs[0], n, `${this.#where} has numOovIndices=${this.numOovIndices}, so it looks tokens up on the host, which needs its input`, 'use numOovIndices: 1');
    const start = this.#tokenStart();
    const oovStart = start - this.numOovIndices;
    const index = new Map(this.#learned().map((token, i) => [token, start + i]));
    if (this.maskToken !== null && this.outputMode === 'int') index.set(this.maskToken, 0);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      out[i] = index.get(v) ?? oovStart + (((v % this.numOovIndices) + this.numOovIndices) % this.numOovIndices);
    }
    return out;
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.fill(ctx.inputGrads[0], ctx.batch * this.#perSample, 0);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxTokens: this.maxTokens,
      numOovIndices: this.numOovIndices,
      maskToken: this.maskToken,
      oovToken: this.oovToken,
      // With the special tokens' idf weights, the vocabulary keeps its special tokens too, so that both read back.
      vocabulary: this.#specialIdf && this.#vocabulary ? this.getVocabulary() : this.#vocabulary,
      invert: this.invert,
      outputMode: this.outputMode,
      idfWeights: this.#idf && [...(this.#specialIdf ?? []), ...this.#idf],
      padToMaxTokens: this.padToMaxTokens,
      sparse: false,
    };
  }
}

registerBuiltinLayer('IntegerLookup', (config) => IntegerLookup.fromConfig(config));

/** Maps whole-number tokens to vocabulary indices (or back, with invert). @example `km.layers.integerLookup({ vocabulary: [12, 7, 40] })` */
export function integerLookup(args?: IntegerLookupArgs): IntegerLookup {
  checkOptions(args, INTEGER_LOOKUP_OPTIONS, 'km.layers.integerLookup');
  return new IntegerLookup(args);
}
