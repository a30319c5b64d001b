import type { Tensor } from '../tensor.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { adaptBatches } from './normalization_statistics.js';
import { registerLayer } from './registry.js';
import { checkIntOutput } from './int_output_options.js';
import { mapValues, MATCHING_SCRATCH } from './value_matching.js';
import { countTokens, frequentTokens } from './vocabulary.js';

/** Options of {@link IntegerLookup}, with Keras 3's defaults. */
export interface IntegerLookupArgs extends LayerArgs {
  /** The tokens (whole numbers) to index, in order; or learn them with `adapt`. */
  vocabulary?: readonly number[] | null;
  /** The largest vocabulary `adapt` keeps, counting the mask and out-of-vocabulary indices. */
  maxTokens?: number | null;
  /** How many indices the out-of-vocabulary tokens get: 1 (default) or 0 (unknown tokens are refused). */
  numOovIndices?: number;
  /** A token that means padding, given index 0 (default null: none). */
  maskToken?: number | null;
  /** The token `invert` writes for an out-of-vocabulary index (default -1). */
  oovToken?: number;
  /** Map indices back to tokens instead (default false). */
  invert?: boolean;
  /** Only 'int' (the default): each token becomes its index. */
  outputMode?: 'int';
}

const KERAS_MODES = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];
// kerasm's batch buffers are float32, which hold every whole number up to 2^24 exactly and not all beyond.
const LIMIT = 2 ** 24;
const exact = (v: number) => Number.isInteger(v) && Math.abs(v) <= LIMIT;

/**
 * Keras' IntegerLookup: maps whole-number tokens to contiguous indices through a vocabulary, with
 * the mask token (if any) at index 0, then the out-of-vocabulary index, then the vocabulary in
 * order (`getVocabulary()` lists them all). Unknown tokens go to the out-of-vocabulary index. With
 * `invert: true` it maps indices back to tokens. The vocabulary is given, or learned by `adapt` in
 * descending frequency. Tokens are whole numbers from -2^24 to 2^24 (float32 batches hold those
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
  readonly outputMode = 'int';
  readonly #where: string;
  #vocabulary: number[] | null = null;
  #perSample = 0;

  constructor(args: IntegerLookupArgs = {}) {
    super(args, 'IntegerLookup');
    const where = (this.#where = `IntegerLookup layer '${this.name}'`);
    checkIntOutput(args, KERAS_MODES, where, 'lookup.vocabularySize()');
    this.numOovIndices = args.numOovIndices ?? 1;
    if (this.numOovIndices !== 0 && this.numOovIndices !== 1) {
      throw new Error(`${where}: numOovIndices must be 0 or 1 here (Keras' several out-of-vocabulary indices are not supported). Received: numOovIndices=${JSON.stringify(args.numOovIndices)}.`);
    }
    this.maskToken = args.maskToken ?? null;
    this.oovToken = args.oovToken ?? -1;
    for (const [name, value] of [['maskToken', this.maskToken], ['oovToken', this.oovToken]] as const) {
      if (value !== null && !exact(value)) throw new Error(`${where}: ${name} must be a whole number from -2^24 to 2^24${name === 'maskToken' ? ' or null' : ''}. Received: ${name}=${JSON.stringify(value)}.`);
    }
    this.invert = args.invert ?? false;
    if (typeof this.invert !== 'boolean') throw new Error(`${where}: invert must be true or false. Received: invert=${JSON.stringify(args.invert)}.`);
    this.maxTokens = args.maxTokens ?? null;
    if (this.maxTokens !== null && (!Number.isInteger(this.maxTokens) || this.maxTokens <= this.#tokenStart())) {
      throw new Error(`${where}: maxTokens must be an integer above ${this.#tokenStart()} (the mask and out-of-vocabulary indices). Received: maxTokens=${JSON.stringify(args.maxTokens)}.`);
    }
    if (args.vocabulary != null) this.setVocabulary(args.vocabulary);
  }

  #tokenStart(): number {
    return (this.maskToken === null ? 0 : 1) + this.numOovIndices;
  }

  /**
   * Replaces the vocabulary (tokens to index in order, without the mask and out-of-vocabulary tokens).
   *
   * @example
   * ```ts
   * lookup.setVocabulary([12, 7, 40]); // 12 → 1, 7 → 2, 40 → 3, anything else → 0
   * ```
   */
  setVocabulary(vocabulary: readonly number[]): void {
    const where = this.#where;
    if (!Array.isArray(vocabulary) || !vocabulary.every(exact)) {
      throw new Error(`${where}: vocabulary must be a list of whole numbers from -2^24 to 2^24 (what float32 batches hold exactly). Received: vocabulary=${JSON.stringify(vocabulary)?.slice(0, 200)}.`);
    }
    const seen = new Set<number>();
    for (const token of vocabulary) {
      if (seen.has(token)) throw new Error(`${where}: the vocabulary holds ${token} twice. Each token must appear once.`);
      if (token === this.maskToken || (this.numOovIndices > 0 && token === this.oovToken)) {
        throw new Error(`${where}: the vocabulary holds ${token}, which is the ${token === this.maskToken ? 'maskToken' : 'oovToken'}; those get their own indices. Remove it from the vocabulary.`);
      }
      seen.add(token);
    }
    if (this.maxTokens !== null && vocabulary.length + this.#tokenStart() > this.maxTokens) {
      throw new Error(`${where}: the vocabulary has ${vocabulary.length} tokens, which with ${this.#tokenStart()} special indices exceeds maxTokens=${this.maxTokens}. Raise maxTokens or shorten the vocabulary.`);
    }
    this.#vocabulary = [...vocabulary];
  }

  /** Every token by its index: the mask token (if any), the out-of-vocabulary token (if any), then the vocabulary. */
  getVocabulary(): number[] {
    return [...this.#specialTokens(), ...this.#learned()];
  }

  /** How many indices the layer outputs: the vocabulary with the mask and out-of-vocabulary indices (Keras' vocabulary_size). */
  vocabularySize(): number {
    return this.getVocabulary().length;
  }

  #specialTokens(): number[] {
    return [...(this.maskToken === null ? [] : [this.maskToken]), ...(this.numOovIndices ? [this.oovToken] : [])];
  }

  #learned(): number[] {
    if (!this.#vocabulary) {
      throw new Error(`${this.#where} has no vocabulary yet. Call await layer.adapt(data) on training data, or create it with vocabulary: [...].`);
    }
    return this.#vocabulary;
  }

  /**
   * Learns the vocabulary from `data` (a km.Tensor of whole numbers or a km.data Dataset of
   * batches): every distinct token but the mask and out-of-vocabulary tokens, most frequent first,
   * ties broken by the larger token first (Keras sorts by (count, token) and reverses), cut to maxTokens.
   *
   * @example
   * ```ts
   * await lookup.adapt(km.tensor(Int32Array.of(4, 4, 9, 2), [4, 1]));
   * lookup.getVocabulary(); // [-1, 4, 9, 2]
   * ```
   */
  async adapt(data: Tensor | AsyncIterable<unknown>): Promise<void> {
    if (this.invert) throw new Error(`${this.#where} maps indices back to tokens (invert: true), so adapt has nothing to learn. Give it the vocabulary of the lookup it inverts.`);
    const counts = new Map<number, number>();
    for await (const batch of adaptBatches(data, this.#where)) countTokens(batch.dataSync(), counts, this.#where);
    for (const special of this.#specialTokens()) counts.delete(special);
    const room = this.maxTokens === null ? Infinity : this.maxTokens - this.#tokenStart();
    this.#vocabulary = frequentTokens(counts, room);
  }

  override get readsIndices(): boolean {
    return true;
  }

  override checkModelInput(values: Float32Array | Int32Array, perSample: number, what: string): void {
    const known = this.numOovIndices === 0 ? new Set(this.getVocabulary()) : null;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const at = `sample ${Math.floor(i / perSample)} (position ${i % perSample} of the sample)`;
      if (!exact(v)) {
        throw new Error(`${this.#where} reads ${what} as whole-number ${this.invert ? 'indices' : 'tokens'} from -2^24 to 2^24 (what float32 batches hold exactly), but it holds ${v} at ${at}. Pass whole numbers in that range (an int32 tensor).`);
      }
      if (known && !this.invert && !known.has(v)) {
        throw new Error(`${this.#where} has numOovIndices=0, so every token must be in its vocabulary, but ${what} holds ${v} at ${at}. Add it to the vocabulary, or set numOovIndices: 1.`);
      }
    }
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#perSample = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  override workspaceSize(batch: number): number {
    return MATCHING_SCRATCH * batch * this.#perSample;
  }

  forward(ctx: ForwardContext): void {
    const tokens = this.getVocabulary();
    const n = ctx.batch * this.#perSample;
    // An index outside the table inverts to oovToken; an unknown token looks up the OOV index (after the mask's 0).
    const pairs = tokens.map((token, index): [number, number] => (this.invert ? [index, token] : [token, index]));
    const otherwise = this.invert ? this.oovToken : this.maskToken === null ? 0 : 1;
    mapValues(ctx.backend, ctx.inputs[0], ctx.output, pairs, otherwise, n, ctx.workspace);
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
      vocabulary: this.#vocabulary,
      invert: this.invert,
      outputMode: this.outputMode,
    };
  }
}

registerLayer('IntegerLookup', (config) => new IntegerLookup(config as IntegerLookupArgs));
