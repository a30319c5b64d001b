import type { BufferId } from '../backend/backend.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { checkBooleanOption } from '../utils/options.js';
import { DOT_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** tfjs' backend epsilon, which its l2Normalize clamps the squared norm to (Keras 2 used 1e-12). */
const NORM_EPSILON = 1e-7;

/** An input as [outer, reduce, inner] around its summed axis, which is how l2Normalize takes it. */
interface SummedAxisLayout {
  outer: number;
  reduce: number;
  inner: number;
}

/** Options of {@link Dot}. */
export interface DotArgs extends LayerArgs {
  /** The axis the dot product sums over, one for both inputs or a pair (counted with the batch axis, -1 the last). */
  axes: number | [number, number];
  /** L2-normalize each input along its summed axis first, so `[batch, features]` pairs give their cosine similarity (default false). */
  normalize?: boolean;
}

/**
 * The dot product of two inputs along one axis each, per sample, as Keras' Dot: `[batch, features]`
 * pairs give `[batch, 1]` (a two-tower recommender's score); `[batch, steps, features]` pairs give a
 * matrix per sample, e.g. `axes: 2` on `[t1, d]` and `[t2, d]` gives the `[t1, t2]` similarities;
 * a sequence and a vector give one score per step (`axes: [2, 1]` on `[t, d]` and `[d]` gives `[t]`).
 * Each sample's product is one matrix product, so the batch runs as one batched GEMM. With
 * `normalize: true` each input is first L2-normalized along its summed axis (as tfjs: x / √max(Σx², 1e-7)).
 *
 * @example
 * ```ts
 * const [user, item] = [km.input({ shape: [16] }), km.input({ shape: [16] })];
 * km.layers.dot({ axes: 1 }).apply([user, item]).shape; // [1]
 * const [q, k] = [km.input({ shape: [5, 8] }), km.input({ shape: [7, 8] })];
 * km.layers.dot({ axes: 2 }).apply([q, k]).shape; // [5, 7]
 * const query = km.input({ shape: [8] });
 * km.layers.dot({ axes: [2, 1] }).apply([k, query]).shape; // [7]: one score per step
 * const cosine = km.layers.dot({ axes: 1, normalize: true }).apply([user, item]); // in [-1, 1]
 * ```
 */
export class Dot extends Layer {
  readonly className = 'Dot';

  // As Keras' and tfjs' Dot: a padded sequence is accepted and its mask dropped, since each output
  // value mixes every step of the summed axis (an attention's scores over padded steps included).
  override get supportsMasking(): boolean {
    return true;
  }

  override get passesMask(): boolean {
    return false;
  }

  readonly axes: number | [number, number];
  readonly normalize: boolean;
  /** Each sample as the product op(a)·op(b) of [m, k] and [k, n] matrices, and whether a or b is stored transposed. */
  #product = { m: 0, n: 0, k: 0, transA: false, transB: false };
  /** Per sample, each input around its summed axis (outer counts one sample's rows). */
  #layouts: [SummedAxisLayout, SummedAxisLayout] = [{ outer: 0, reduce: 0, inner: 0 }, { outer: 0, reduce: 0, inner: 0 }];

  constructor(args: DotArgs) {
    super(args, 'Dot');
    const axes = args.axes;
    const isAxis = (a: unknown) => Number.isInteger(a) && (a as number) !== 0;
    if (!(isAxis(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(isAxis)))) {
      throw new Error(`Dot layer '${this.name}': axes must be a non-batch axis (1, 2 or -1, ...) or a pair of them. Received: axes=${JSON.stringify(axes)}.`);
    }
    this.normalize = checkBooleanOption(args.normalize ?? false, 'normalize', `Dot layer '${this.name}'`);
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
  }

  /** Each input's summed axis, counted with the batch axis, negative axes read against that input's own rank. */
  #summedAxes(inputShapes: readonly Shape[]): [number, number] {
    const [axisA, axisB] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const own = (axis: number, shape: Shape) => (axis < 0 ? axis + shape.length + 1 : axis);
    return [own(axisA, inputShapes[0]), own(axisB, inputShapes[1])];
  }

  /**
   * The per-sample product, from the sample shapes (each [features] or [rows, cols]): a vector is a
   * [1, k] row on the left and a [k, 1] column on the right; a matrix's summed axis is k, the other m (or n).
   */
  #plan(inputShapes: readonly Shape[]) {
    if (inputShapes.length !== 2 || !inputShapes.every((s) => s.length === 1 || s.length === 2)) {
      throw new Error(`Dot layer '${this.name}' takes two inputs, each (None, features) or (None, steps, features), but received ${inputShapes.map(formatShape).join(' and ') || 'none'}. Call it as layer.apply([a, b]).`);
    }
    const [a, b] = inputShapes;
    const [axisA, axisB] = this.#summedAxes(inputShapes);
    if (axisA < 1 || axisA > a.length || axisB < 1 || axisB > b.length || a[axisA - 1] !== b[axisB - 1]) {
      throw new Error(`Dot layer '${this.name}' sums over axis ${axisA} of ${formatShape(a)} and axis ${axisB} of ${formatShape(b)}, which must be non-batch axes of one size. Received: axes=${JSON.stringify(this.axes)}.`);
    }
    const k = a[axisA - 1];
    const [m, transA] = a.length === 1 ? [1, false] : [a[2 - axisA], axisA === 1];
    const [n, transB] = b.length === 1 ? [1, false] : [b[2 - axisB], axisB === 2];
    // Keras' output: each input's shape without its summed axis, side by side; [1] when nothing is left.
    const kept = [...(a.length === 2 ? [m] : []), ...(b.length === 2 ? [n] : [])];
    return { product: { m, n, k, transA, transB }, outputShape: kept.length ? kept : [1] };
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.#plan(inputShapes).outputShape;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#product = this.#plan(inputShapes).product;
    const size = (dims: Shape) => dims.reduce((p, d) => p * d, 1);
    const layout = (shape: Shape, axis: number): SummedAxisLayout => ({ outer: size(shape.slice(0, axis - 1)), reduce: shape[axis - 1], inner: size(shape.slice(axis)) });
    const [axisA, axisB] = this.#summedAxes(inputShapes);
    this.#layouts = [layout(inputShapes[0], axisA), layout(inputShapes[1], axisB)];
  }

  /** Room for both normalized inputs, which the backward pass multiplies by again. */
  override workspaceSize(batch: number): number {
    return this.normalize ? batch * this.#layouts.reduce((sum, l) => sum + l.outer * l.reduce * l.inner, 0) : 0;
  }

  /** The inputs the product multiplies: the layer's inputs, or their normalized copies in the workspace. */
  #factors(ctx: ForwardContext | BackwardContext, normalizeNow: boolean): readonly BufferId[] {
    if (!this.normalize) return ctx.inputs;
    let offset = 0;
    return this.#layouts.map(({ outer, reduce, inner }, i) => {
      const size = ctx.batch * outer * reduce * inner;
      const normalized = ctx.backend.view(ctx.workspace, offset, size);
      offset += size;
      if (normalizeNow) ctx.backend.l2Normalize(ctx.inputs[i], normalized, ctx.batch * outer, reduce, inner, NORM_EPSILON);
      return normalized;
    });
  }

  forward(ctx: ForwardContext): void {
    const { m, n, k, transA, transB } = this.#product;
    const [a, b] = this.#factors(ctx, true);
    ctx.backend.batchMatMul(a, b, ctx.output, ctx.batch, m, n, k, transA, transB, false);
  }

  backward(ctx: BackwardContext): void {
    const { m, n, k, transA, transB } = this.#product;
    const [a, b] = this.#factors(ctx, false);
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
    // The products gave the gradients of the normalized inputs; carry them back through the normalization.
    if (this.normalize) {
      [dA, dB].forEach((grad, i) => {
        const { outer, reduce, inner } = this.#layouts[i];
        if (grad) ctx.backend.l2NormalizeGrad(ctx.inputs[i], grad, grad, ctx.batch * outer, reduce, inner, NORM_EPSILON);
      });
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

registerBuiltinLayer('Dot', (config) => new Dot(config as unknown as DotArgs));

/** Dot product of two `[batch, f]` inputs. @example `km.layers.dot({ axes: 1 }).apply([a, b])` */
export function dot(args: DotArgs): Dot {
  checkRequiredOptions(args, DOT_OPTIONS, 'km.layers.dot');
  return new Dot(args);
}
