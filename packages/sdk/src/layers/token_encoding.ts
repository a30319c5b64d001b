import type { Backend, BufferId } from '../backend/backend.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** How token indices are encoded (tfjs' names): 'tfIdf' is 'count' with each token's count scaled by its weight. */
export type TokenEncoding = 'oneHot' | 'multiHot' | 'count' | 'tfIdf';

/** One sample's token list: a layer that encodes tokens takes samples of shape `[length]`. */
export function tokenListLength(input: Shape, where: string): number {
  if (input.length !== 1) {
    throw new Error(`${where} takes a batch of token lists, shape (None, length), but received ${formatShape(input)}. Flatten the tokens of each sample first, e.g. km.layers.flatten().`);
  }
  return input[0];
}

/**
 * The sample shape of `length` encoded tokens: a row of `depth` per token for 'oneHot' (one token
 * per sample gives `[depth]`, as Keras encodes a last axis of 1 in place), one row per sample otherwise.
 */
export function encodedShape(length: number, encoding: TokenEncoding, depth: number): Shape {
  return encoding === 'oneHot' && length !== 1 ? [length, depth] : [depth];
}

/** Floats of workspace {@link encodeTokens} needs. */
export function encodingScratch(batch: number, length: number, depth: number, encoding: TokenEncoding): number {
  return 3 * batch * length + (encoding === 'tfIdf' ? batch * depth : 0);
}

/** What {@link encodeTokens} encodes: `batch` samples of `length` whole-number indices below `depth`. */
export interface TokenBatch {
  batch: number;
  length: number;
  depth: number;
  /** Per token 1, or 0 for a token to leave out (Keras drops a lookup's mask token); all ones when absent. */
  weights?: BufferId;
  /** 'tfIdf' only: the weight of each index, `depth` of them. */
  idf?: readonly number[];
}

/**
 * Writes the part of {@link encodeTokens}' workspace that depends only on the batch size: each
 * token's row offset, and a weight of 1 per token. Once per batch plan, from the layer's `initWorkspace`.
 */
export function initEncodingWorkspace(b: Backend, workspace: BufferId, tokens: TokenBatch, encoding: TokenEncoding): void {
  const n = tokens.batch * tokens.length;
  const perRow = encoding === 'oneHot' ? 1 : tokens.length;
  b.write(b.view(workspace, 0, n), Float32Array.from({ length: n }, (_, i) => Math.floor(i / perRow) * tokens.depth));
  b.fill(b.view(workspace, n, n), n, 1);
}

/**
 * Encodes token indices into `output`: each token, shifted by its row's offset, adds its weight into
 * that row (embeddingBackward with vectors of width 1); 'multiHot' then clips to 1 and 'tfIdf'
 * scales each row by the idf weights. It runs on every backend's existing kernels, in a workspace
 * that {@link initEncodingWorkspace} has prepared.
 */
export function encodeTokens(b: Backend, indices: BufferId, output: BufferId, workspace: BufferId, tokens: TokenBatch, encoding: TokenEncoding): void {
  const { batch, length, depth } = tokens;
  const n = batch * length;
  const perRow = encoding === 'oneHot' ? 1 : length;
  const rows = n / perRow;
  const [offsets, ones, shifted] = [0, 1, 2].map((k) => b.view(workspace, k * n, n));
  b.add(indices, offsets, shifted, n);
  b.embeddingBackward(shifted, tokens.weights ?? ones, output, n, 1, rows * depth);
  if (encoding === 'multiHot') b.clipByValue(output, rows * depth, 0, 1);
  if (encoding === 'tfIdf') {
    // Written each pass: adapt() may learn new weights after the plan was made.
    const idf = b.view(workspace, 3 * n, rows * depth);
    const tiled = new Float32Array(rows * depth);
    for (let r = 0; r < rows; r++) tiled.set(tokens.idf!, r * depth);
    b.write(idf, tiled);
    b.mul(output, idf, output, rows * depth);
  }
}
