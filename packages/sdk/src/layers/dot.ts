import { formatShape, Layer, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';

/** Options of {@link Dot}. */
export interface DotArgs extends LayerArgs {
  /** The axis the dot product sums over, one for both inputs or a pair (counted with the batch axis, -1 the last). */
  axes: number | [number, number];
  /** L2-normalize the inputs first (cosine similarity); kerasm implements false only, the default. */
  normalize?: boolean;
}

/**
 * The dot product of two inputs along one axis each, per sample, as Keras' Dot: `[batch, features]`
 * pairs give `[batch, 1]` (a two-tower recommender's score); `[batch, steps, features]` pairs give a
 * matrix per sample, e.g. `axes: 2` on `[t1, d]` and `[t2, d]` gives the `[t1, t2]` similarities.
 * Each sample's product is one matrix product, so the batch runs as one batched GEMM.
 *
 * @example
 * ```ts
 * const [user, item] = [km.input({ shape: [16] }), km.input({ shape: [16] })];
 * km.layers.dot({ axes: 1 }).apply([user, item]).shape; // [1]
 * const [q, k] = [km.input({ shape: [5, 8] }), km.input({ shape: [7, 8] })];
 * km.layers.dot({ axes: 2 }).apply([q, k]).shape; // [5, 7]
 * ```
 */
export class Dot extends Layer {
  readonly className = 'Dot';
  readonly axes: number | [number, number];
  /** Each sample as the product op(a)·op(b) of [m, k] and [k, n] matrices, and whether a or b is stored transposed. */
  #product = { m: 0, n: 0, k: 0, transA: false, transB: false };

  constructor(args: DotArgs) {
    super(args, 'Dot');
    const axes = args.axes;
    const isAxis = (a: unknown) => Number.isInteger(a) && (a as number) !== 0;
    if (!(isAxis(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(isAxis)))) {
      throw new Error(`Dot layer '${this.name}': axes must be a non-batch axis (1, 2 or -1, ...) or a pair of them. Received: axes=${JSON.stringify(axes)}.`);
    }
    if (args.normalize !== undefined && args.normalize !== false) {
      throw new Error(`Dot layer '${this.name}': normalize: true (cosine similarity) is not implemented in kerasm. Received: normalize=${JSON.stringify(args.normalize)}. Remove it, and normalize the inputs before the Dot layer.`);
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
  }

  /** The per-sample product, from the sample shapes (each [features] or [rows, cols]). */
  #plan(inputShapes: readonly Shape[]) {
    const ranks = inputShapes.map((s) => s.length);
    if (inputShapes.length !== 2 || ranks[0] !== ranks[1] || ranks[0] < 1 || ranks[0] > 2) {
      throw new Error(`Dot layer '${this.name}' takes two inputs of one rank, each (None, features) or (None, steps, features), but received ${inputShapes.map(formatShape).join(' and ') || 'none'}. Call it as layer.apply([a, b]).`);
    }
    const rank = ranks[0] + 1;
    const [axisA, axisB] = (Array.isArray(this.axes) ? this.axes : [this.axes, this.axes]).map((a) => (a < 0 ? a + rank : a));
    const [a, b] = inputShapes;
    if (axisA < 1 || axisA >= rank || axisB < 1 || axisB >= rank || a[axisA - 1] !== b[axisB - 1]) {
      throw new Error(`Dot layer '${this.name}' sums over axis ${axisA} of ${formatShape(a)} and axis ${axisB} of ${formatShape(b)}, which must be non-batch axes of one size. Received: axes=${JSON.stringify(this.axes)}.`);
    }
    // Rank 2: each sample is a [1, k] row times a [k, 1] column. Rank 3: the summed axis is k, the other m (or n).
    if (rank === 2) return { m: 1, n: 1, k: a[0], transA: false, transB: true };
    return { m: a[2 - axisA], n: b[2 - axisB], k: a[axisA - 1], transA: axisA === 1, transB: axisB === 2 };
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const { m, n } = this.#plan(inputShapes);
    return inputShapes[0].length === 1 ? [1] : [m, n];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#product = this.#plan(inputShapes);
  }

  forward(ctx: ForwardContext): void {
    const { m, n, k, transA, transB } = this.#product;
    ctx.backend.batchMatMul(ctx.inputs[0], ctx.inputs[1], ctx.output, ctx.batch, m, n, k, transA, transB, false);
  }

  backward(ctx: BackwardContext): void {
    const { m, n, k, transA, transB } = this.#product;
    const [a, b] = ctx.inputs;
    const [dA, dB] = ctx.inputGrads;
    const dC = ctx.outputGrad;
    // C = op(A)·op(B): d op(A) = dC·op(B)ᵀ and d op(B) = op(A)ᵀ·dC, transposed back where A or B is stored transposed.
    if (dA) {
      if (transA) ctx.backend.batchMatMul(b, dC, dA, ctx.batch, k, m, n, transB, true, false);
      else ctx.backend.batchMatMul(dC, b, dA, ctx.batch, m, k, n, false, !transB, false);
    }
    if (dB) {
      if (transB) ctx.backend.batchMatMul(dC, a, dB, ctx.batch, n, k, m, true, transA, false);
      else ctx.backend.batchMatMul(a, dC, dB, ctx.batch, k, n, m, !transA, false, false);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: false };
  }
}

registerLayer('Dot', (config) => new Dot(config as unknown as DotArgs));
