import { formatShape, Layer, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';

/** Options of {@link Dot}. */
export interface DotArgs extends LayerArgs {
  /** The axis the dot product sums over: 1 or -1 (the features axis) for each input, or a pair of them. */
  axes: number | [number, number];
  /** L2-normalize the inputs first (cosine similarity); kerasm implements false only, the default. */
  normalize?: boolean;
}

const isFeatureAxis = (a: unknown) => a === 1 || a === -1;

/**
 * The dot product of two `[batch, features]` inputs along the features axis: `[batch, 1]`, e.g. the
 * score of a two-tower recommender.
 *
 * @example
 * ```ts
 * const [user, item] = [km.input({ shape: [16] }), km.input({ shape: [16] })];
 * km.layers.dot({ axes: 1 }).apply([user, item]).shape; // [1]
 * ```
 */
export class Dot extends Layer {
  readonly className = 'Dot';
  readonly axes: number | [number, number];
  #features = 0;

  constructor(args: DotArgs) {
    super(args, 'Dot');
    const axes = args.axes;
    if (!(isFeatureAxis(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(isFeatureAxis)))) {
      throw new Error(`Dot layer '${this.name}': kerasm takes the dot product of [batch, features] inputs along the features axis, so axes must be 1, -1 or a pair of them. Received: axes=${JSON.stringify(axes)}.`);
    }
    if (args.normalize !== undefined && args.normalize !== false) {
      throw new Error(`Dot layer '${this.name}': normalize: true (cosine similarity) is not implemented in kerasm. Received: normalize=${JSON.stringify(args.normalize)}. Remove it, and normalize the inputs before the Dot layer.`);
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const ok = inputShapes.length === 2 && inputShapes.every((s) => s.length === 1) && inputShapes[0][0] === inputShapes[1][0];
    if (!ok) {
      throw new Error(`Dot layer '${this.name}' takes two inputs of shape (None, features) with the same features, but received ${inputShapes.map(formatShape).join(' and ') || 'none'}. Call it as layer.apply([a, b]) on flat inputs of one width.`);
    }
    return [1];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.computeOutputShape(inputShapes);
    this.#features = inputShapes[0][0];
  }

  override workspaceSize(batch: number): number {
    // The products (or the broadcast gradient), then a row of ones for the row sums.
    return batch * this.#features + this.#features;
  }

  #ones(ctx: ForwardContext): number {
    const ones = ctx.backend.view(ctx.workspace, ctx.batch * this.#features, this.#features);
    ctx.backend.fill(ones, this.#features, 1);
    return ones;
  }

  forward(ctx: ForwardContext): void {
    const [b, f] = [ctx.backend, this.#features];
    const products = b.view(ctx.workspace, 0, ctx.batch * f);
    b.mul(ctx.inputs[0], ctx.inputs[1], products, ctx.batch * f);
    b.matMul(products, this.#ones(ctx), ctx.output, ctx.batch, 1, f, false, false, false);
  }

  backward(ctx: BackwardContext): void {
    const [b, f] = [ctx.backend, this.#features];
    const spread = b.view(ctx.workspace, 0, ctx.batch * f);
    b.matMul(ctx.outputGrad, this.#ones(ctx), spread, ctx.batch, f, 1, false, false, false);
    if (ctx.inputGrads[0]) b.mul(spread, ctx.inputs[1], ctx.inputGrads[0], ctx.batch * f);
    if (ctx.inputGrads[1]) b.mul(spread, ctx.inputs[0], ctx.inputGrads[1], ctx.batch * f);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: false };
  }
}

registerLayer('Dot', (config) => new Dot(config as unknown as DotArgs));
