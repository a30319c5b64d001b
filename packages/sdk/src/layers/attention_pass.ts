import type { Backend, BufferId } from '../backend/backend.js';

/** The sizes of one attention call: steps, features, heads and projection widths. */
export interface AttentionDims {
  readonly querySteps: number;
  readonly valueSteps: number;
  readonly queryFeatures: number;
  readonly keyFeatures: number;
  readonly valueFeatures: number;
  /** Query heads. */
  readonly heads: number;
  /**
   * Key and value heads: `heads` for multi-head attention, a divisor of it for grouped-query
   * attention, where each key/value head serves `heads / keyValueHeads` consecutive query heads.
   */
  readonly keyValueHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly outputDim: number;
}

/** What a pass reads besides the dimensions: the call's buffers and the layer's choices. */
export interface AttentionBuffers {
  readonly query: BufferId;
  readonly key: BufferId;
  readonly value: BufferId;
  /** query, key, value and output kernels, then their biases (0 when the layer has none). */
  readonly kernels: readonly [BufferId, BufferId, BufferId, BufferId];
  readonly biases: readonly [BufferId, BufferId, BufferId, BufferId];
  /** Padding masks `[batch, valueSteps]` of the value and key inputs (1: a real step, 0: padding), 0 where none. */
  readonly keyMasks: readonly BufferId[];
  /** The query's padding mask `[batch, querySteps]`, or 0: a padded query step attends to nothing (its row is uniform, as in Keras). */
  readonly queryMask: BufferId;
  /** Keras' `attention_mask` `[batch, querySteps, valueSteps]` (1: attend, 0: not), or 0. */
  readonly attentionMask: BufferId;
}

/**
 * The layer's workspace split into named regions (floats per batch below). Everything the backward
 * pass reads (head-major projections, attention weights, dropout mask, context) is kept from the
 * forward pass; the scratch regions hold what one step of either pass needs next.
 */
export class AttentionWorkspace {
  /** Scaled queries, keys and values, head-major `[batch, heads, steps, dim]` (keys and values: keyValueHeads). */
  readonly qh: BufferId;
  readonly kh: BufferId;
  readonly vh: BufferId;
  /** Attention weights (softmax of the scores) `[batch, heads, querySteps, valueSteps]`. */
  readonly probs: BufferId;
  /** Dropout mask and the dropped weights (0 without dropout). */
  readonly mask: BufferId;
  readonly dropped: BufferId;
  /** The heads' outputs token-major `[batch, querySteps, heads·valueDim]`: the output projection's input. */
  readonly context: BufferId;
  readonly dScores: BufferId;
  /** Token-major scratch: one projection or its gradient. */
  readonly token: BufferId;
  /** Head-major scratch: the context before its transpose (forward), its gradient (backward). */
  readonly headA: BufferId;
  /** Head-major scratch for dq, dk and dv. */
  readonly headB: BufferId;
  /** The causal mask as a term of {@link combineMasks}' sum, `[querySteps, valueSteps]`: 0 where a step may attend, −1 where not (0 without it). */
  readonly causal: BufferId;
  /** A padding mask's term `[batch, steps]` (steps: the larger of querySteps and valueSteps). */
  readonly padding: BufferId;
  /** Every mask combined, `[batch, querySteps, valueSteps]`, then the scores' additive term. */
  readonly allowed: BufferId;

  /** Floats the regions take for `batch` samples. */
  static size(d: AttentionDims, batch: number, dropout: boolean, causal: boolean): number {
    return AttentionWorkspace.#layout(d, batch, dropout, causal).reduce((s, [, n]) => s + n, 0);
  }

  static #layout(d: AttentionDims, batch: number, dropout: boolean, causal: boolean): [string, number][] {
    const { querySteps: tq, valueSteps: tv, heads: h, keyValueHeads: g, keyDim: dk, valueDim: dv } = d;
    const scores = batch * h * tq * tv;
    return [
      ['qh', batch * h * tq * dk], ['kh', batch * g * tv * dk], ['vh', batch * g * tv * dv], ['probs', scores],
      ['mask', dropout ? scores : 0], ['dropped', dropout ? scores : 0], ['context', batch * tq * h * dv], ['dScores', scores],
      ['token', batch * h * Math.max(tq * dk, tv * dk, tv * dv, tq * dv)], ['headA', batch * h * tq * dv],
      ['headB', batch * h * Math.max(tq * dk, tv * dk, tv * dv)], ['causal', causal ? tq * tv : 0],
      ['padding', batch * Math.max(tq, tv)], ['allowed', batch * tq * tv],
    ];
  }

  constructor(backend: Backend, workspace: BufferId, d: AttentionDims, batch: number, dropout: boolean, causal: boolean) {
    const regions: Record<string, BufferId> = {};
    let offset = 0;
    for (const [name, n] of AttentionWorkspace.#layout(d, batch, dropout, causal)) {
      regions[name] = n > 0 ? backend.view(workspace, offset, n) : 0;
      offset += n;
    }
    ({
      qh: this.qh, kh: this.kh, vh: this.vh, probs: this.probs, mask: this.mask, dropped: this.dropped, context: this.context,
      dScores: this.dScores, token: this.token, headA: this.headA, headB: this.headB, causal: this.causal, padding: this.padding, allowed: this.allowed,
    } = regions as Record<keyof AttentionWorkspace, BufferId>);
  }
}

const SWAP_STEPS_AND_HEADS = [0, 2, 1, 3];

/**
 * The per-head products as batched products over key/value heads: the query heads sharing a
 * key/value head are consecutive in `[batch, heads, steps, dim]`, so each group's queries (and
 * scores) are one `(heads / keyValueHeads)·querySteps`-row matrix against that head's keys and values.
 */
function grouping(d: AttentionDims, batch: number): { groups: number; groupRows: number } {
  return { groups: batch * d.keyValueHeads, groupRows: (d.heads / d.keyValueHeads) * d.querySteps };
}

/** The first `n` floats of a scratch region: TensorFlow.js reads a buffer as a matrix of exactly its length. */
function part(b: Backend, region: BufferId, n: number): BufferId {
  return b.view(region, 0, n);
}

/** x `[rows, features]` · kernel `[features, cols]` + bias, written token-major into `tokenRegion`, then head-major into `heads`. */
function projectToHeads(b: Backend, x: BufferId, kernel: BufferId, bias: BufferId, tokenRegion: BufferId, heads: BufferId, batch: number, steps: number, features: number, h: number, dim: number): void {
  const token = part(b, tokenRegion, batch * steps * h * dim);
  b.matMulBiasActivation(x, kernel, bias, token, batch * steps, h * dim, features, 'linear');
  b.transpose(token, heads, [batch, steps, h, dim], SWAP_STEPS_AND_HEADS);
}

/**
 * The gradients of a projection from its head-major output gradient `dHeads`: dKernel = xᵀ·d,
 * dBias = Σ_rows d, and dx = d·kernelᵀ (added into dx with `accumulate`); each skipped when its buffer is 0.
 */
function projectionBackward(b: Backend, x: BufferId, kernel: BufferId, dHeadsRegion: BufferId, tokenRegion: BufferId, dKernel: BufferId, dBias: BufferId, dx: BufferId, accumulate: boolean, batch: number, steps: number, features: number, h: number, dim: number): void {
  if (!dKernel && !dBias && !dx) return;
  const n = batch * steps * h * dim;
  const [dHeads, token] = [part(b, dHeadsRegion, n), part(b, tokenRegion, n)];
  b.transpose(dHeads, token, [batch, h, steps, dim], SWAP_STEPS_AND_HEADS);
  const rows = batch * steps;
  if (dKernel) b.matMul(x, token, dKernel, features, h * dim, rows, true, false, false);
  if (dBias) b.columnSum(token, dBias, rows, h * dim, false);
  if (dx) b.matMul(token, kernel, dx, rows, features, h * dim, false, true, accumulate);
}

/** The float32 additive term of Keras' masked softmax. */
export const LARGE_NEGATIVE = -1e9;

/** The causal term of {@link combineMasks}: 0 where query step i may attend to value step j (j ≤ i), −1 where not. */
export function causalTerm(querySteps: number, valueSteps: number): Float32Array {
  return Float32Array.from({ length: querySteps * valueSteps }, (_, i) => (i % valueSteps > Math.floor(i / valueSteps) ? -1 : 0));
}

/** Adds mask − 1 (0 at real steps, −1 at padding) of a `[batch, steps]` padding mask into `term`. */
function paddingTerm(b: Backend, mask: BufferId, term: BufferId, n: number): void {
  b.fill(term, n, -1);
  b.add(mask, term, term, n);
}

/**
 * Keras' `_compute_attention_mask`: the logical AND of the attention mask, the query's padding
 * (`[B, T, 1]`), the value's and key's (`[B, 1, S]`) and the causal mask (`[1, T, S]`), then its
 * masked-softmax term `(1 − mask)·LARGE_NEGATIVE`, left in `w.allowed`. The AND of 0/1 masks is
 * relu(1 + Σ(mᵢ − 1)), which needs only sums; the broadcasts go through `spread` (scratch of
 * `[batch, tq, tv]`). Returns false when no mask applies. Attention and AdditiveAttention use it
 * too, with their value's padding and the causal mask only.
 */
export function combineMasks(
  b: Backend,
  d: Pick<AttentionDims, 'querySteps' | 'valueSteps'>,
  batch: number,
  io: Pick<AttentionBuffers, 'attentionMask' | 'queryMask' | 'keyMasks'>,
  w: Pick<AttentionWorkspace, 'allowed' | 'causal' | 'padding'>,
  spread: BufferId,
): boolean {
  const { querySteps: tq, valueSteps: tv } = d;
  const keyMasks = io.keyMasks.filter((m) => m !== 0);
  if (!io.attentionMask && !w.causal && !io.queryMask && keyMasks.length === 0) return false;
  const n = batch * tq * tv;
  if (io.attentionMask) b.copy(io.attentionMask, w.allowed, n);
  else b.fill(w.allowed, n, 1);
  if (w.causal) b.biasAdd(w.allowed, w.causal, batch, tq * tv);
  for (const mask of keyMasks) {
    paddingTerm(b, mask, w.padding, batch * tv);
    // Each sample's value-step row repeated over its query rows.
    for (let s = 0; s < batch; s++) b.copyRows(b.view(w.padding, s * tv, tv), 0, b.view(spread, s * tq * tv, tq * tv), tv, tq, tv);
    b.add(w.allowed, spread, w.allowed, n);
  }
  if (io.queryMask) {
    paddingTerm(b, io.queryMask, w.padding, batch * tq);
    // Each query step's value repeated along its row: one strided column copy per value step.
    for (let j = 0; j < tv; j++) b.copyRows(b.view(w.padding, 0, batch * tq), 1, b.view(spread, j, n - j), tv, batch * tq, 1);
    b.add(w.allowed, spread, w.allowed, n);
  }
  b.activation('relu', w.allowed, w.allowed, batch * tq, tv);
  b.fill(spread, n, -1);
  b.add(w.allowed, spread, w.allowed, n);
  b.scale(w.allowed, n, -LARGE_NEGATIVE);
  return true;
}

/**
 * Multi-head attention forward, as Keras computes it: q, k, v projections, softmax(q·kᵀ/√keyDim
 * + the combined mask's term) over the value steps, optional dropout of those weights, their product with v,
 * and the output projection of the concatenated heads. `scores` (0: not wanted) receives the weights
 * before dropout, `[batch, heads, querySteps, valueSteps]`, which Keras returns as its attention scores.
 */
export function attentionForward(b: Backend, d: AttentionDims, batch: number, io: AttentionBuffers, w: AttentionWorkspace, output: BufferId, scores: BufferId, dropoutSeed: number | null, rate: number): void {
  const { querySteps: tq, valueSteps: tv, heads: h, keyValueHeads: g, keyDim: dk, valueDim: dv } = d;
  const { groups, groupRows } = grouping(d, batch);
  projectToHeads(b, io.query, io.kernels[0], io.biases[0], w.token, w.qh, batch, tq, d.queryFeatures, h, dk);
  b.scale(w.qh, batch * h * tq * dk, 1 / Math.sqrt(dk));
  projectToHeads(b, io.key, io.kernels[1], io.biases[1], w.token, w.kh, batch, tv, d.keyFeatures, g, dk);
  projectToHeads(b, io.value, io.kernels[2], io.biases[2], w.token, w.vh, batch, tv, d.valueFeatures, g, dv);
  b.batchMatMul(w.qh, w.kh, w.probs, groups, groupRows, tv, dk, false, true, false);
  // dScores is free until the backward pass. One term per sample serves all its heads.
  if (combineMasks(b, d, batch, io, w, part(b, w.dScores, batch * tq * tv))) {
    for (let s = 0; s < batch; s++) b.biasAdd(b.view(w.probs, s * h * tq * tv, h * tq * tv), b.view(w.allowed, s * tq * tv, tq * tv), h, tq * tv);
  }
  b.activation('softmax', w.probs, w.probs, batch * h * tq, tv);
  if (scores) b.copy(w.probs, scores, batch * h * tq * tv);
  let weights = w.probs;
  if (dropoutSeed !== null) {
    const n = batch * h * tq * tv;
    b.dropoutMask(w.mask, n, rate, dropoutSeed);
    b.mul(w.probs, w.mask, w.dropped, n);
    weights = w.dropped;
  }
  b.batchMatMul(weights, w.vh, w.headA, groups, groupRows, dv, tv, false, false, false);
  b.transpose(w.headA, w.context, [batch, h, tq, dv], SWAP_STEPS_AND_HEADS);
  b.matMulBiasActivation(w.context, io.kernels[3], io.biases[3], output, batch * tq, d.outputDim, h * dv, 'linear');
}

/** Gradients to write: one per weight (0 for a bias the layer lacks, and for every weight of a frozen layer) and per input (0 when not needed). */
export interface AttentionGrads {
  readonly kernels: readonly [BufferId, BufferId, BufferId, BufferId];
  readonly biases: readonly [BufferId, BufferId, BufferId, BufferId];
  readonly query: BufferId;
  readonly key: BufferId;
  readonly value: BufferId;
  /** Whether key and value are one input (no key given), whose gradient then sums both paths. */
  readonly keyIsValue: boolean;
}

/** The backward pass of {@link attentionForward} from the output gradient (and the returned scores', or 0), with the workspace it left. */
export function attentionBackward(b: Backend, d: AttentionDims, batch: number, io: AttentionBuffers, w: AttentionWorkspace, outputGrad: BufferId, scoresGrad: BufferId, grads: AttentionGrads, dropout: boolean): void {
  const { querySteps: tq, valueSteps: tv, heads: h, keyValueHeads: g, keyDim: dk, valueDim: dv } = d;
  const { groups, groupRows } = grouping(d, batch);
  const rows = batch * tq;
  const pairs = batch * h;
  if (grads.kernels[3]) b.matMul(w.context, outputGrad, grads.kernels[3], h * dv, d.outputDim, rows, true, false, false);
  if (grads.biases[3]) b.columnSum(outputGrad, grads.biases[3], rows, d.outputDim, false);
  const dContext = part(b, w.token, rows * h * dv);
  b.matMul(outputGrad, io.kernels[3], dContext, rows, h * dv, d.outputDim, false, true, false);
  b.transpose(dContext, w.headA, [batch, tq, h, dv], SWAP_STEPS_AND_HEADS);
  // dWeights = dContext·vᵀ and dv = weightsᵀ·dContext, per sample and key/value head; the product
  // over a group's rows sums the gradients of the query heads sharing that head.
  b.batchMatMul(w.headA, w.vh, w.dScores, groups, groupRows, tv, dv, false, true, false);
  b.batchMatMul(dropout ? w.dropped : w.probs, w.headA, part(b, w.headB, groups * tv * dv), groups, tv, dv, groupRows, true, false, false);
  projectionBackward(b, io.value, io.kernels[2], w.headB, w.token, grads.kernels[2], grads.biases[2], grads.value, false, batch, tv, d.valueFeatures, g, dv);
  const n = pairs * tq * tv;
  if (dropout) b.mul(w.dScores, w.mask, w.dScores, n);
  // The returned scores are the weights before dropout, so their gradient joins here.
  if (scoresGrad) b.add(w.dScores, scoresGrad, w.dScores, n);
  // Masked positions have weight 0, so the softmax gradient gives their scores none.
  b.activationGrad('softmax', w.probs, w.dScores, w.dScores, pairs * tq, tv);
  // q was scaled before the product: dq = s·(dScores·k); k's gradient uses the scaled q.
  const dq = part(b, w.headB, pairs * tq * dk);
  b.batchMatMul(w.dScores, w.kh, dq, groups, groupRows, dk, tv, false, false, false);
  b.scale(dq, pairs * tq * dk, 1 / Math.sqrt(dk));
  projectionBackward(b, io.query, io.kernels[0], w.headB, w.token, grads.kernels[0], grads.biases[0], grads.query, false, batch, tq, d.queryFeatures, h, dk);
  b.batchMatMul(w.dScores, w.qh, part(b, w.headB, groups * tv * dk), groups, tv, dk, groupRows, true, false, false);
  projectionBackward(b, io.key, io.kernels[1], w.headB, w.token, grads.kernels[1], grads.biases[1], grads.key, grads.keyIsValue, batch, tv, d.keyFeatures, g, dk);
}
