// The vocabulary of StringLookup and TextVectorization: Keras' index lookup over string tokens, in plain JavaScript.
import { LOOKUP_OUTPUT_MODES, type IndexOutputMode } from './index_output.js';
import { fingerprint64 } from '../utils/string_hash.js';
import { checkAdaptableVocabulary, checkNumOovIndices, compareCodePoints, frequentTokens } from './vocabulary.js';
import { readVocabularyFile } from './vocabulary_file.js';

/** The options a string vocabulary reads, with Keras 3's names in camelCase. */
export interface StringVocabularyArgs {
  /**
   * The tokens to index, in order (optionally after the special tokens, as getVocabulary lists
   * them); or, in Node.js, the path of a text file with one token a line; or learn them with `adapt`.
   */
  vocabulary?: readonly string[] | string | null;
  /** The largest vocabulary `adapt` keeps, counting the mask and out-of-vocabulary indices. */
  maxTokens?: number | null;
  /**
   * How many indices the out-of-vocabulary tokens get (default 1): 0 refuses unknown tokens, and
   * n > 1 spreads them over n indices by FarmHash Fingerprint64 modulo n, as Keras'
   * tf.strings.to_hash_bucket_fast does, so each unknown token keeps one index. At most 2^24, where
   * float32 indices stop being exact.
   */
  numOovIndices?: number;
  /** A token that means padding, given index 0 in 'int' mode and left out of encodings (default null: none). */
  maskToken?: string | null;
  /** The out-of-vocabulary token: what `getVocabulary` lists at its index and `invert` writes for an unknown index (default '[UNK]'). */
  oovToken?: string;
  /** Map indices back to tokens instead (default false). */
  invert?: boolean;
  /** 'int' (default): each token's index. Or Keras' encodings: 'one_hot', 'multi_hot', 'count', 'tf_idf'. */
  outputMode?: IndexOutputMode | 'binary' | 'tf-idf';
  /** 'tf_idf' only: the inverse document frequency of each vocabulary token (needed with `vocabulary`; `adapt` computes them). */
  idfWeights?: readonly number[] | null;
  /** Encodings only: make the output `maxTokens` wide whatever the vocabulary's size (default false). */
  padToMaxTokens?: boolean;
  /** Keras' sparse outputs; only false. */
  sparse?: boolean;
  /** Only 'utf-8' (JavaScript strings need no decoding). */
  encoding?: string;
}

/** What adapt counted: each token's occurrences, and for 'tf_idf' the documents each occurs in. */
export interface TokenCounts {
  counts: Map<string, number>;
  documentCounts: Map<string, number>;
  documents: number;
}

/** Fresh, empty {@link TokenCounts}. */
export function emptyCounts(): TokenCounts {
  return { counts: new Map(), documentCounts: new Map(), documents: 0 };
}

/** Adds one document (a sample's tokens) to `into`. */
export function countDocument(tokens: readonly string[], into: TokenCounts): void {
  for (const token of tokens) into.counts.set(token, (into.counts.get(token) ?? 0) + 1);
  for (const token of new Set(tokens)) into.documentCounts.set(token, (into.documentCounts.get(token) ?? 0) + 1);
  into.documents += 1;
}

const ENCODER = new TextEncoder();
const quote = (value: unknown) => (JSON.stringify(value) ?? String(value)).slice(0, 200);
const ALIASES: Record<string, IndexOutputMode> = { binary: 'multi_hot', 'tf-idf': 'tf_idf', oneHot: 'one_hot', multiHot: 'multi_hot', tfIdf: 'tf_idf' };

/**
 * Keras' IndexLookup for strings: the mask token (if any) at index 0 in 'int' mode, then the
 * out-of-vocabulary index, then the vocabulary in order. Encodings leave the mask token out.
 */
export class StringVocabulary {
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: string | null;
  readonly oovToken: string;
  readonly invert: boolean;
  readonly outputMode: IndexOutputMode;
  readonly padToMaxTokens: boolean;
  readonly #where: string;
  #tokens: string[] | null = null;
  #index = new Map<string, number>();
  #idf: number[] | null = null;
  // Idf weights given for the special indices (a vocabulary set with its special tokens); else their mean.
  #specialIdf: number[] | null = null;
  // Given (the vocabulary option, a config's, or set()) rather than learned: adapt is refused, as Keras does.
  #given = false;

  constructor(args: StringVocabularyArgs, where: string, modes: readonly IndexOutputMode[] = LOOKUP_OUTPUT_MODES) {
    this.#where = where;
    const given = args.outputMode ?? 'int';
    const mode = ALIASES[given] ?? given;
    if (!(modes as readonly string[]).includes(mode)) throw new Error(`${where}: outputMode must be one of ${modes.map((m) => `'${m}'`).join(', ')}. Received: outputMode=${quote(args.outputMode)}.`);
    this.outputMode = mode as IndexOutputMode;
    if (args.sparse !== undefined && args.sparse !== false) throw new Error(`${where}: sparse outputs are not supported. Received: sparse=${quote(args.sparse)}. Remove it (or set it to false).`);
    if (args.encoding !== undefined && String(args.encoding).toLowerCase().replace('_', '-') !== 'utf-8') {
      throw new Error(`${where}: strings are JavaScript strings, so encoding can only be 'utf-8'. Received: encoding=${quote(args.encoding)}.`);
    }
    this.numOovIndices = checkNumOovIndices(args.numOovIndices, where);
    this.maskToken = args.maskToken ?? null;
    this.oovToken = args.oovToken ?? '[UNK]';
    if (this.maskToken !== null && typeof this.maskToken !== 'string') throw new Error(`${where}: maskToken must be a string or null. Received: maskToken=${quote(args.maskToken)}.`);
    if (typeof this.oovToken !== 'string') throw new Error(`${where}: oovToken must be a string. Received: oovToken=${quote(args.oovToken)}.`);
    this.invert = args.invert ?? false;
    if (typeof this.invert !== 'boolean') throw new Error(`${where}: invert must be true or false. Received: invert=${quote(args.invert)}.`);
    if (this.invert && this.outputMode !== 'int') throw new Error(`${where}: invert maps indices back to tokens, so outputMode must be 'int'. Received: outputMode=${quote(args.outputMode)}.`);
    this.maxTokens = args.maxTokens ?? null;
    if (this.maxTokens !== null && (!Number.isInteger(this.maxTokens) || this.maxTokens <= this.tokenStart)) {
      throw new Error(`${where}: maxTokens must be an integer above ${this.tokenStart} (the mask and out-of-vocabulary indices), or null. Received: maxTokens=${quote(args.maxTokens)}.`);
    }
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    if (this.padToMaxTokens && (this.outputMode === 'int' || this.maxTokens === null)) {
      throw new Error(`${where}: padToMaxTokens pads an encoded output to maxTokens, so it needs outputMode 'multi_hot', 'count' or 'tf_idf' and maxTokens. Received: outputMode=${quote(this.outputMode)}, maxTokens=${quote(this.maxTokens)}.`);
    }
    if (args.idfWeights != null && this.outputMode !== 'tf_idf') {
      throw new Error(`${where}: idfWeights weigh the counts of outputMode 'tf_idf' only. Received: outputMode=${quote(this.outputMode)}. Remove idfWeights or set outputMode: 'tf_idf'.`);
    }
    if (this.outputMode === 'tf_idf' && Array.isArray(args.vocabulary) && args.idfWeights == null) {
      throw new Error(`${where}: outputMode 'tf_idf' with a given vocabulary needs its idfWeights, one per token. Pass idfWeights, or leave out the vocabulary and call adapt.`);
    }
    if (args.vocabulary != null) this.set(args.vocabulary, args.idfWeights ?? undefined);
  }

  /** The mask token's index 0 ('int' mode only), then the out-of-vocabulary index: where the vocabulary starts. */
  get tokenStart(): number {
    return this.#oovIndex + this.numOovIndices;
  }

  get #oovIndex(): number {
    return this.maskToken !== null && this.outputMode === 'int' ? 1 : 0;
  }

  get #specialTokens(): string[] {
    return [...(this.#oovIndex ? [this.maskToken!] : []), ...new Array<string>(this.numOovIndices).fill(this.oovToken)];
  }

  /**
   * Replaces the vocabulary, a list of tokens or (in Node.js) a file's path; leading special tokens
   * (as getVocabulary lists them) are accepted and dropped, as Keras does.
   */
  set(vocabulary: readonly string[] | string, idfWeights?: readonly number[]): void {
    if (typeof vocabulary === 'string') {
      if (this.outputMode === 'tf_idf') {
        throw new Error(`${this.#where}: outputMode 'tf_idf' cannot read its vocabulary from a file, as in Keras (the file has no idf weights). Received: vocabulary=${quote(vocabulary)}. Pass the file's lines as an array with their idfWeights, or leave out the vocabulary and call adapt.`);
      }
      const lines = readVocabularyFile(vocabulary, this.#where);
      try {
        this.set(lines, idfWeights);
      } catch (error) {
        throw new Error(`${(error as Error).message} (The vocabulary came from the file '${vocabulary}'.)`, { cause: error });
      }
      return;
    }
    const where = this.#where;
    if (!Array.isArray(vocabulary) || !vocabulary.every((t) => typeof t === 'string')) {
      throw new Error(`${where}: vocabulary must be a list of strings. Received: vocabulary=${quote(vocabulary)}.`);
    }
    const special = this.#specialTokens;
    const withSpecial = special.length > 0 && special.every((t, i) => vocabulary[i] === t);
    const tokens = withSpecial ? vocabulary.slice(special.length) : [...vocabulary];
    const seen = new Set<string>();
    for (const token of tokens) {
      if (seen.has(token)) throw new Error(`${where}: the vocabulary holds ${quote(token)} twice. Each token must appear once.`);
      if (token === this.maskToken || (this.numOovIndices > 0 && token === this.oovToken)) {
        throw new Error(`${where}: the vocabulary holds ${quote(token)}, the ${token === this.maskToken ? 'maskToken' : 'oovToken'}, after its first entries; the special tokens get their own indices. Remove it, or list the special tokens first (${quote(special)}), as getVocabulary() does.`);
      }
      seen.add(token);
    }
    if (this.maxTokens !== null && tokens.length + this.tokenStart > this.maxTokens) {
      throw new Error(`${where}: the vocabulary has ${tokens.length} tokens, which with ${this.tokenStart} special indices exceeds maxTokens=${this.maxTokens}. Raise maxTokens or shorten the vocabulary.`);
    }
    let idf: number[] | null = null;
    let specialIdf: number[] | null = null;
    if (this.outputMode === 'tf_idf') {
      const lengths = withSpecial ? [tokens.length, vocabulary.length] : [tokens.length];
      if (!Array.isArray(idfWeights) || !lengths.includes(idfWeights.length) || !idfWeights.every(Number.isFinite)) {
        throw new Error(`${where}: outputMode 'tf_idf' needs idfWeights, one finite number per vocabulary token (${lengths.join(' or ')}). Received: idfWeights=${quote(idfWeights)}.`);
      }
      const extra = idfWeights.length - tokens.length;
      [specialIdf, idf] = [extra > 0 ? idfWeights.slice(0, extra) : null, idfWeights.slice(extra)];
    } else if (idfWeights !== undefined) {
      throw new Error(`${where}: idfWeights weigh the counts of outputMode 'tf_idf' only. Received: outputMode=${quote(this.outputMode)}.`);
    }
    this.#store(tokens, idf, specialIdf);
    this.#given = true;
  }

  #store(tokens: string[], idf: number[] | null, specialIdf: number[] | null): void {
    this.#tokens = tokens;
    this.#index = new Map(tokens.map((t, i) => [t, i + this.tokenStart]));
    this.#idf = idf;
    this.#specialIdf = specialIdf;
  }

  /** Learns the vocabulary from adapt's counts (adapt called {@link checkAdaptable} before counting): most frequent first, ties by the larger token (code point order), cut to maxTokens. */
  learn({ counts, documentCounts, documents }: TokenCounts): void {
    // Keras drops both special tokens from the counts, the OOV token even with numOovIndices 0.
    if (this.maskToken !== null) counts.delete(this.maskToken);
    counts.delete(this.oovToken);
    const room = this.maxTokens === null ? Infinity : this.maxTokens - this.tokenStart;
    const tokens = frequentTokens(counts, room, compareCodePoints);
    const idf = this.outputMode === 'tf_idf' ? tokens.map((t) => Math.log(1 + documents / (1 + (documentCounts.get(t) ?? 0)))) : null;
    this.#store(tokens, idf, null);
  }

  /** Refuses adapt on an inverting lookup or a given vocabulary (see {@link checkAdaptableVocabulary}). */
  checkAdaptable(): void {
    checkAdaptableVocabulary(this.#where, this.invert, this.#given, "a config's too, in fromConfig");
  }

  /** The learned or given tokens, without the special ones. */
  get learned(): string[] {
    this.checkLearned();
    return this.#tokens!;
  }

  /** The vocabulary for a config: the tokens without the special ones, or null before adapt. */
  get saved(): string[] | null {
    return this.#tokens && [...this.#tokens];
  }

  /** Every token by its index: the mask token ('int' mode), the out-of-vocabulary token, then the vocabulary. */
  all(): string[] {
    return [...this.#specialTokens, ...this.learned];
  }

  /** The idf weights of the vocabulary for a config: with the special indices' own when they were given. */
  get idfWeights(): number[] | null {
    return this.#idf && [...(this.#specialIdf ?? []), ...this.#idf];
  }

  /** Columns of an encoded output: every index, or maxTokens with padToMaxTokens. */
  get depth(): number {
    return this.padToMaxTokens ? this.maxTokens! : this.all().length;
  }

  /** Refuses a layer with no vocabulary yet (before looking anything up). */
  checkLearned(): void {
    if (!this.#tokens) throw new Error(`${this.#where} has no vocabulary yet. Call await layer.adapt(data) on training data, or create it with vocabulary: [...].`);
  }

  /** The index of `token`: 0 for the mask token in 'int' mode, -1 for the mask in an encoding (left out), an OOV index for an unknown one (its hash bucket when there are several). */
  indexOf(token: string, at: string): number {
    if (token === this.maskToken) return this.outputMode === 'int' ? 0 : -1;
    const index = this.#index.get(token);
    if (index !== undefined) return index;
    if (this.numOovIndices === 0) throw new Error(`${this.#where} has numOovIndices=0, so every token must be in its vocabulary, but ${at} is ${quote(token)}. Add it to the vocabulary, or set numOovIndices: 1.`);
    if (this.numOovIndices === 1) return this.#oovIndex;
    return this.#oovIndex + Number(fingerprint64(ENCODER.encode(token)) % BigInt(this.numOovIndices));
  }

  /** The token of `index` (invert): the mask token at 0, the OOV token for an OOV index or one outside the table. */
  tokenAt(index: number): string {
    if (index === 0 && this.maskToken !== null) return this.maskToken;
    const table = this.learned;
    const i = index - this.tokenStart;
    return Number.isInteger(i) && i >= 0 && i < table.length ? table[i] : this.oovToken;
  }

  /** Each index's 'tf_idf' weight, as Keras pads them: given or mean weights for the special indices, 0 past the vocabulary. */
  idfByIndex(): number[] {
    const idf = this.#idf!;
    const mean = idf.length ? idf.reduce((a, b) => a + b, 0) / idf.length : 0;
    const front = this.#specialIdf ?? new Array<number>(this.tokenStart).fill(mean);
    const weights = [...front, ...idf];
    return [...weights, ...new Array<number>(Math.max(0, this.depth - weights.length)).fill(0)];
  }
}
