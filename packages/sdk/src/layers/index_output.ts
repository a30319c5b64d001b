import type { Backend, BufferId } from '../backend/backend.js';
import type { ForwardContext, Shape } from './layer.js';
import { encodedShape, encodeTokens, encodingScratch, initEncodingWorkspace, tokenListLength, type TokenBatch, type TokenEncoding } from './token_encoding.js';

/** Keras' output modes of Discretization and Hashing; IntegerLookup also has 'tf_idf'. */
export const BIN_OUTPUT_MODES = ['int', 'one_hot', 'multi_hot', 'count'] as const;
export const LOOKUP_OUTPUT_MODES = [...BIN_OUTPUT_MODES, 'tf_idf'] as const;

/** An output mode by Keras' name: the indices themselves ('int'), or an encoding of them. */
export type IndexOutputMode = (typeof LOOKUP_OUTPUT_MODES)[number];

const ENCODINGS: Record<Exclude<IndexOutputMode, 'int'>, TokenEncoding> = { one_hot: 'oneHot', multi_hot: 'multiHot', count: 'count', tf_idf: 'tfIdf' };
// Keras' older names, and tfjs' camelCase ones, read as the Keras names a config saves.
const ALIASES: Record<string, IndexOutputMode> = { binary: 'multi_hot', 'tf-idf': 'tf_idf', oneHot: 'one_hot', multiHot: 'multi_hot', tfIdf: 'tf_idf' };

/** A batch's layout in the workspace: the layer's own `scratch` floats first, then the encoding of `perSample` indices per sample into `depth` columns. */
export interface IndexSpace {
  perSample: number;
  depth: number;
  scratch: number;
}

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

  /** Workspace floats: the layer's own scratch, then the indices, their weights and the encoding's scratch. */
  workspaceSize(batch: number, space: IndexSpace): number {
    return space.scratch + (this.encoding ? 2 * batch * space.perSample + encodingScratch(batch, space.perSample, space.depth, this.encoding) : 0);
  }

  /** Prepares the encoding's part of a new workspace (see {@link initEncodingWorkspace}). */
  initWorkspace(b: Backend, workspace: BufferId, batch: number, space: IndexSpace): void {
    if (this.encoding) initEncodingWorkspace(b, this.#encodingSpace(b, workspace, batch, space), this.#tokens(batch, space), this.encoding);
  }

  /**
   * Writes the output: `writeIndices` fills a buffer with the batch's indices (the output itself
   * for 'int'), which are then encoded. `writeWeights`, if given, fills one weight per value (0 for
   * a value to leave out of the encoding); `idf` gives 'tf_idf' its weight per index.
   */
  write(ctx: ForwardContext, space: IndexSpace, writeIndices: (out: BufferId) => void, extras: { writeWeights?: (out: BufferId) => void; idf?: readonly number[] } = {}): void {
    if (!this.encoding) {
      writeIndices(ctx.output);
      return;
    }
    const b = ctx.backend;
    const n = ctx.batch * space.perSample;
    const indices = b.view(ctx.workspace, space.scratch, n);
    writeIndices(indices);
    let weights: BufferId | undefined;
    if (extras.writeWeights) {
      weights = b.view(ctx.workspace, space.scratch + n, n);
      extras.writeWeights(weights);
    }
    const tokens = { ...this.#tokens(ctx.batch, space), weights, idf: extras.idf };
    encodeTokens(b, indices, ctx.output, this.#encodingSpace(b, ctx.workspace, ctx.batch, space), tokens, this.encoding);
  }

  #tokens(batch: number, space: IndexSpace): TokenBatch {
    return { batch, length: space.perSample, depth: space.depth };
  }

  #encodingSpace(b: Backend, workspace: BufferId, batch: number, space: IndexSpace): BufferId {
    return b.view(workspace, space.scratch + 2 * batch * space.perSample, encodingScratch(batch, space.perSample, space.depth, this.encoding!));
  }
}
