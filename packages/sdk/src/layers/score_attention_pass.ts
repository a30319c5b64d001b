import type { Backend, BufferId } from '../backend/backend.js';
import { combineMasks } from './attention_pass.js';

// The passes of Keras' single-head Attention (Luong) and AdditiveAttention (Bahdanau): scores of
// the queries against the keys, the masked softmax, dropout on the weights, their product with the
// values and the query's mask on the output. Built from the backend's kernels; the masks combine
// as MultiHeadAttention's do (combineMasks).

/** The sizes of one call: query and key share `features`; the output has the value's features. */
export interface ScoreAttentionDims {
  readonly querySteps: number;
  readonly valueSteps: number;
  readonly features: number;
  readonly valueFeatures: number;
}

/**
 * How the scores are made. 'dot': q·kᵀ. 'tanh': Σ_d vector[d]·tanh(inner·(q[d] + k[d])), with
 * `vector` the AdditiveAttention's scale (ones without one) and `inner` a scalar weight (Attention's
 * scale in 'concat' mode, 1 without). Either is then multiplied by `outer`, a scalar weight (the
 * dot mode's scale, the concat mode's concat_score_weight).
 */
export interface ScoreFunction {
  readonly kind: 'dot' | 'tanh';
  readonly outer: boolean;
  readonly inner: boolean;
  readonly vector: boolean;
}

/** The call's buffers; the weights are 0 where the score function has none. */
export interface ScoreAttentionBuffers {
  readonly query: BufferId;
  readonly value: BufferId;
  readonly key: BufferId;
  /** The value's padding mask `[batch, valueSteps]`, or 0: padded value steps get no weight. */
  readonly valueMask: BufferId;
  /** The query's padding mask `[batch, querySteps]`, or 0: it multiplies the output. */
  readonly queryMask: BufferId;
  readonly outer: BufferId;
  readonly inner: BufferId;
  readonly vector: BufferId;
}

/** The gradients to write (0 where not wanted or no such weight). */
export interface ScoreAttentionGrads {
  readonly query: BufferId;
  readonly value: BufferId;
  readonly key: BufferId;
  /** Whether key and value are one input (no key given): the key's gradient then adds into the value's. */
  readonly keyIsValue: boolean;
  readonly outer: BufferId;
  readonly inner: BufferId;
  readonly vector: BufferId;
}

/** The layer's workspace as named regions; what the backward pass reads is kept from the forward pass. */
export class ScoreAttentionWorkspace {
  /** The scores before the outer factor, `[batch, querySteps, valueSteps]`. */
  readonly raw: BufferId;
  /** The softmax weights (the scores before it, during the forward pass). */
  readonly probs: BufferId;
  /** Dropout mask and the dropped weights (0 without dropout). */
  readonly dropMask: BufferId;
  readonly dropped: BufferId;
  readonly dScores: BufferId;
  /** Scratch of `[batch, querySteps, valueSteps]`: a mask's broadcast, then a gradient. */
  readonly scratch: BufferId;
  /** The masks' terms, as {@link combineMasks} reads them. */
  readonly allowed: BufferId;
  readonly causal: BufferId;
  readonly padding: BufferId;
  /** The query's mask repeated over the value's features, `[batch, querySteps, valueFeatures]`. */
  readonly queryMask: BufferId;
  readonly ones: BufferId;
  /** 'tanh' only, `[batch, querySteps, valueSteps, features]`: q + k, tanh of it (scaled), and two gradient scratches. */
  readonly sums: BufferId;
  readonly tanh: BufferId;
  readonly gradA: BufferId;
  readonly gradB: BufferId;

  static size(d: ScoreAttentionDims, batch: number, f: ScoreFunction, dropout: boolean, causal: boolean): number {
    return ScoreAttentionWorkspace.#layout(d, batch, f, dropout, causal).reduce((s, [, n]) => s + n, 0);
  }

  static #layout(d: ScoreAttentionDims, batch: number, f: ScoreFunction, dropout: boolean, causal: boolean): [string, number][] {
    const { querySteps: tq, valueSteps: tv, features: dim, valueFeatures: dv } = d;
    const scores = batch * tq * tv;
    const wide = f.kind === 'tanh' ? scores * dim : 0;
    return [
      ['raw', scores], ['probs', scores], ['dropMask', dropout ? scores : 0], ['dropped', dropout ? scores : 0], ['dScores', scores],
      ['scratch', scores], ['allowed', scores], ['causal', causal ? tq * tv : 0], ['padding', batch * Math.max(tq, tv)],
      ['queryMask', batch * tq * dv], ['ones', Math.max(tq, tv, dim, dv)],
      ['sums', wide], ['tanh', wide], ['gradA', wide], ['gradB', wide],
    ];
  }

  constructor(backend: Backend, workspace: BufferId, d: ScoreAttentionDims, batch: number, f: ScoreFunction, dropout: boolean, causal: boolean) {
    const regions: Record<string, BufferId> = {};
    let offset = 0;
    for (const [name, n] of ScoreAttentionWorkspace.#layout(d, batch, f, dropout, causal)) {
      regions[name] = n > 0 ? backend.view(workspace, offset, n) : 0;
      offset += n;
    }
    ({
      raw: this.raw, probs: this.probs, dropMask: this.dropMask, dropped: this.dropped, dScores: this.dScores, scratch: this.scratch,
      allowed: this.allowed, causal: this.causal, padding: this.padding, queryMask: this.queryMask, ones: this.ones,
      sums: this.sums, tanh: this.tanh, gradA: this.gradA, gradB: this.gradB,
    } = regions as Record<keyof ScoreAttentionWorkspace, BufferId>);
  }
}

/** The first `n` floats of a region: TensorFlow.js reads a buffer as a matrix of exactly its length. */
function part(b: Backend, region: BufferId, n: number): BufferId {
  return b.view(region, 0, n);
}

/** out = x · w for a scalar weight w (a [n, 1]·[1, 1] product keeps the weight on the device). */
function timesScalar(b: Backend, x: BufferId, w: BufferId, out: BufferId, n: number): void {
  b.matMul(x, w, out, n, 1, 1, false, false, false);
}

/** The gradients of out = x·w: dw = Σ x·dOut, dx = w·dOut. */
function timesScalarBackward(b: Backend, x: BufferId, w: BufferId, dOut: BufferId, dw: BufferId, dx: BufferId, n: number): void {
  if (dw) b.matMul(x, dOut, dw, 1, 1, n, false, false, false);
  b.matMul(dOut, w, dx, n, 1, 1, false, true, false);
}

/** sums[b, i, j, :] = q[b, i, :] + k[b, j, :], by strided copies of the query rows and of each sample's keys. */
function broadcastSum(b: Backend, d: ScoreAttentionDims, batch: number, io: ScoreAttentionBuffers, w: ScoreAttentionWorkspace): void {
  const { querySteps: tq, valueSteps: tv, features: dim } = d;
  const block = tv * dim;
  for (let j = 0; j < tv; j++) b.copyRows(io.query, dim, b.view(w.sums, j * dim, batch * tq * block - j * dim), block, batch * tq, dim);
  for (let s = 0; s < batch; s++) b.copyRows(b.view(io.key, s * block, block), 0, b.view(w.gradA, s * tq * block, tq * block), block, tq, block);
  b.add(w.sums, w.gradA, w.sums, batch * tq * block);
}

/** The scores before the outer factor into `w.raw`. */
function rawScores(b: Backend, d: ScoreAttentionDims, batch: number, f: ScoreFunction, io: ScoreAttentionBuffers, w: ScoreAttentionWorkspace): void {
  const { querySteps: tq, valueSteps: tv, features: dim } = d;
  if (f.kind === 'dot') {
    b.batchMatMul(io.query, io.key, w.raw, batch, tq, tv, dim, false, true, false);
    return;
  }
  const n = batch * tq * tv;
  broadcastSum(b, d, batch, io, w);
  if (f.inner) timesScalar(b, w.sums, io.inner, w.tanh, n * dim);
  b.activation('tanh', f.inner ? w.tanh : w.sums, w.tanh, n, dim);
  b.matMul(w.tanh, f.vector ? io.vector : part(b, w.ones, dim), w.raw, n, 1, dim, false, false, false);
}

/**
 * The forward pass as Keras' Attention computes it: the scores, minus 1e9 where the value's padding or
 * the causal mask forbids a step, the softmax over the value steps, dropout of those weights
 * (`dropoutSeed` null: none), their product with the values, the output times the query's mask.
 * `scores` (0: not wanted) receives the weights after dropout, which Keras returns.
 */
export function scoreAttentionForward(b: Backend, d: ScoreAttentionDims, batch: number, f: ScoreFunction, io: ScoreAttentionBuffers, w: ScoreAttentionWorkspace, output: BufferId, scores: BufferId, dropoutSeed: number | null, rate: number): void {
  const { querySteps: tq, valueSteps: tv, valueFeatures: dv } = d;
  const n = batch * tq * tv;
  b.fill(w.ones, Math.max(tq, tv, d.features, dv), 1);
  rawScores(b, d, batch, f, io, w);
  if (f.outer) timesScalar(b, w.raw, io.outer, w.probs, n);
  else b.copy(w.raw, w.probs, n);
  const masks = { attentionMask: 0, queryMask: 0, keyMasks: [io.valueMask] };
  if (combineMasks(b, d, batch, masks, w, w.scratch)) b.add(w.probs, w.allowed, w.probs, n);
  b.activation('softmax', w.probs, w.probs, batch * tq, tv);
  let weights = w.probs;
  if (dropoutSeed !== null) {
    b.dropoutMask(w.dropMask, n, rate, dropoutSeed);
    b.mul(w.probs, w.dropMask, w.dropped, n);
    weights = w.dropped;
  }
  if (scores) b.copy(weights, scores, n);
  b.batchMatMul(weights, io.value, output, batch, tq, dv, tv, false, false, false);
  if (io.queryMask) {
    b.matMul(io.queryMask, part(b, w.ones, dv), w.queryMask, batch * tq, dv, 1, false, false, false);
    b.mul(output, w.queryMask, output, batch * tq * dv);
  }
}

/** The gradients of the 'tanh' scores' inputs and weights from dRaw (in `w.scratch`). */
function tanhScoresBackward(b: Backend, d: ScoreAttentionDims, batch: number, f: ScoreFunction, io: ScoreAttentionBuffers, w: ScoreAttentionWorkspace, g: ScoreAttentionGrads): void {
  const { querySteps: tq, valueSteps: tv, features: dim } = d;
  const n = batch * tq * tv;
  const dRaw = w.scratch;
  if (g.vector) b.matMul(w.tanh, dRaw, g.vector, dim, 1, n, true, false, false);
  b.matMul(dRaw, f.vector ? io.vector : part(b, w.ones, dim), w.gradA, n, dim, 1, false, true, false);
  b.activationGrad('tanh', w.tanh, w.gradA, w.gradB, n, dim);
  // dSums: the gradient of q + k, in gradB; gradA is then free for the transposes.
  let dSums = w.gradB;
  let free = w.gradA;
  if (f.inner) {
    timesScalarBackward(b, w.sums, io.inner, w.gradB, g.inner, w.gradA, n * dim);
    [dSums, free] = [w.gradA, w.gradB];
  }
  // dq sums over the value steps, dk over the query steps: each a transpose, then a product with ones.
  if (g.query) {
    b.transpose(dSums, free, [batch * tq, tv, dim], [0, 2, 1]);
    b.matMul(free, part(b, w.ones, tv), g.query, batch * tq * dim, 1, tv, false, false, false);
  }
  if (g.key) {
    b.transpose(dSums, free, [batch, tq, tv * dim], [0, 2, 1]);
    b.matMul(free, part(b, w.ones, tq), g.key, batch * tv * dim, 1, tq, false, false, g.keyIsValue);
  }
}

/** The backward pass of {@link scoreAttentionForward} from the output's gradient (overwritten) and the returned scores' (or 0). */
export function scoreAttentionBackward(b: Backend, d: ScoreAttentionDims, batch: number, f: ScoreFunction, io: ScoreAttentionBuffers, w: ScoreAttentionWorkspace, outputGrad: BufferId, scoresGrad: BufferId, g: ScoreAttentionGrads, dropout: boolean): void {
  const { querySteps: tq, valueSteps: tv, features: dim, valueFeatures: dv } = d;
  const n = batch * tq * tv;
  if (io.queryMask) b.mul(outputGrad, w.queryMask, outputGrad, batch * tq * dv);
  const weights = dropout ? w.dropped : w.probs;
  b.batchMatMul(outputGrad, io.value, w.dScores, batch, tq, tv, dv, false, true, false);
  if (g.value) b.batchMatMul(weights, outputGrad, g.value, batch, tv, dv, tq, true, false, false);
  // The returned scores are the weights after dropout, so their gradient joins before the dropout's.
  if (scoresGrad) b.add(w.dScores, scoresGrad, w.dScores, n);
  if (dropout) b.mul(w.dScores, w.dropMask, w.dScores, n);
  // The masks' term is constant, and masked steps have weight 0: the softmax gradient gives them none.
  b.activationGrad('softmax', w.probs, w.dScores, w.dScores, batch * tq, tv);
  if (f.outer) timesScalarBackward(b, w.raw, io.outer, w.dScores, g.outer, w.scratch, n);
  else b.copy(w.dScores, w.scratch, n);
  if (f.kind === 'tanh') {
    tanhScoresBackward(b, d, batch, f, io, w, g);
    return;
  }
  if (g.query) b.batchMatMul(w.scratch, io.key, g.query, batch, tq, dim, tv, false, false, false);
  if (g.key) b.batchMatMul(w.scratch, io.query, g.key, batch, tv, dim, tq, true, false, g.keyIsValue);
}
