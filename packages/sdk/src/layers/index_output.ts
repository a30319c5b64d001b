import type { BufferId } from '../backend/backend.js';
import type { ForwardContext, Shape } from './layer.js';
import { encodedShape, encodeTokens, encodingScratch, tokenListLength, type TokenEncoding } from './token_encoding.js';

/** Keras' output modes of Discretization and Hashing; IntegerLookup also has 'tf_idf'. */
export const BIN_OUTPUT_MODES = ['int', 'one_hot', 'multi_hot', 'count'] as const;
export const LOOKUP_OUTPUT_MODES = [...BIN_OUTPUT_MODES, 'tf_idf'] as const;

/** An output mode by Keras' name: the indices themselves ('int'), or an encoding of them. */
export type IndexOutputMode = (typeof LOOKUP_OUTPUT_MODES)[number];

const ENCODINGS: Record<Exclude<IndexOutputMode, 'int'>, TokenEncoding> = { one_hot: 'oneHot', multi_hot: 'multiHot', count: 'count', tf_idf: 'tfIdf' };
// Keras' older names, and tfjs' camelCase ones, read as the Keras names a config saves.
const ALIASES: Record<string, IndexOutputMode> = { binary: 'multi_hot', 'tf-idf': 'tf_idf', oneHot: 'one_hot', multiHot: 'multi_hot', tfIdf: 'tf_idf' };

/**
 * The output of a layer that maps values to integer indices (IntegerLookup, Hashing,
 * Discretization): the indices, or Keras' one-hot, multi-hot, count or TF-IDF encoding of them over
 * `depth` columns. The layer's own scratch comes first in its workspace, the encoding's after it.
 */
export class IndexOutput {
  readonly mode: IndexOutputMode;
  readonly encoding: TokenEncoding | null;

  constructor(args: { outputMode?: string; sparse?: boolean }, modes: readonly IndexOutputMode[], where: string) {
    const given = args.outputMode ?? 'int';
    const mode = ALIASES[given] ?? given;
    if (!(modes as readonly string[]).includes(mode)) {
      throw new Error(`${where}: outputMode must be one of ${modes.map((m) => `'${m}'`).join(', ')}. Received: outputMode=${JSON.stringify(args.outputMode)}.`);
    }
    this.mode = mode as IndexOutputMode;
    this.encoding = this.mode === 'int' ? null : ENCODINGS[this.mode];
    if (args.sparse !== undefined && args.sparse !== false) {
      throw new Error(`${where}: sparse outputs are not supported. Received: sparse=${JSON.stringify(args.sparse)}. Remove it (or set it to false).`);
    }
  }

  /** The output sample shape for an input sample shape; encodings take token lists, `[length]`. */
  shape(input: Shape, depth: number, where: string): Shape {
    return this.encoding ? encodedShape(tokenListLength(input, where), this.encoding, depth) : input;
  }

  /** Workspace floats: the layer's own `scratch`, then the indices, their weights and the encoding's scratch. */
  workspaceSize(batch: number, perSample: number, depth: number, scratch: number): number {
    return scratch + (this.encoding ? 2 * batch * perSample + encodingScratch(batch, perSample, depth, this.encoding) : 0);
  }

  /**
   * Writes the output: `writeIndices` fills a buffer with the batch's indices (the output itself
   * for 'int'), which are then encoded. `writeWeights`, if given, fills one weight per value (0 for
   * a value to leave out of the encoding); `idf` gives 'tf_idf' its weight per index.
   */
  write(ctx: ForwardContext, perSample: number, depth: number, scratch: number, writeIndices: (out: BufferId) => void, extras: { writeWeights?: (out: BufferId) => void; idf?: readonly number[] } = {}): void {
    if (!this.encoding) {
      writeIndices(ctx.output);
      return;
    }
    const b = ctx.backend;
    const n = ctx.batch * perSample;
    const indices = b.view(ctx.workspace, scratch, n);
    writeIndices(indices);
    let weights: BufferId | undefined;
    if (extras.writeWeights) {
      weights = b.view(ctx.workspace, scratch + n, n);
      extras.writeWeights(weights);
    }
    const encodingSpace = b.view(ctx.workspace, scratch + 2 * n, encodingScratch(ctx.batch, perSample, depth, this.encoding));
    encodeTokens(b, indices, ctx.output, encodingSpace, { batch: ctx.batch, length: perSample, depth, weights, idf: extras.idf }, this.encoding);
  }
}
