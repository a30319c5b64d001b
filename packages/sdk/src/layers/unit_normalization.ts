import { ChannelLayout, ChannelsLastBody } from './channel_axis.js';
import { normalizedOrder } from './normalization_axes.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { UNIT_NORMALIZATION_OPTIONS } from './layer_options.js';

/** Keras 3's UnitNormalization clamps the squared norm (not the norm) to this before its rsqrt. */
const SQUARED_NORM_EPSILON = 1e-12;

/** Options of {@link UnitNormalization}. */
export interface UnitNormalizationArgs extends LayerArgs {
  /**
   * The axis or axes to normalise across, counting the batch as 0 (default -1, the last), e.g.
   * [-2, -1], [1, 2], or axes that are not neighbours, such as [1, 3].
   */
  axis?: number | readonly number[];
}

/**
 * Keras 3's UnitNormalization: scales each sample (each position, for inputs of higher rank) to unit
 * L2 norm along `axis`: x / √max(Σx², 1e-12). No weights.
 *
 * @example
 * ```ts
 * const embed = km.sequential([
 *   km.layers.dense({ units: 32, inputShape: [784] }),
 *   km.layers.unitNormalization(), // each 32-vector now has length 1
 * ]);
 * ```
 */
export class UnitNormalization extends Layer {
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'UnitNormalization';
  readonly #axis: number | readonly number[];
  readonly #where: string;
  /**
   * The input as [outer, reduce, inner] per sample around the normalised axes, once built; axes
   * that are not neighbours are first moved last by `body` (then inner is 1).
   */
  #layout: { outer: number; reduce: number; inner: number; body: ChannelsLastBody | null } = { outer: 0, reduce: 0, inner: 0, body: null };

  constructor(args: UnitNormalizationArgs = {}) {
    super(args, 'UnitNormalization');
    this.#where = `UnitNormalization layer '${this.name}'`;
    const axis = args.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(list) || list.length === 0 || !list.every((a) => Number.isInteger(a)) || new Set(list).size !== list.length) {
      throw new Error(`${this.#where}: axis must be an integer or a non-empty list of distinct integers, e.g. -1 or [-2, -1]. Received: axis=${JSON.stringify(args.axis)}.`);
    }
    this.#axis = typeof axis === 'number' ? axis : [...list];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    this.#resolveLayout(shape);
    return shape;
  }

  /** [outer, reduce, inner] of one sample around the axes, after checking them against the input. */
  #resolveLayout(shape: Shape): { outer: number; reduce: number; inner: number; body: ChannelsLastBody | null } {
    const rank = shape.length + 1;
    const given = typeof this.#axis === 'number' ? [this.#axis] : this.#axis;
    const resolved = given.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const received = `Received: axis=${JSON.stringify(this.#axis)} for input shape ${formatShape(shape)}`;
    if (resolved.some((a) => a < 1 || a >= rank)) {
      throw new Error(`${this.#where}: axes 1 to ${rank - 1} (or -1 to -${rank - 1}) can be normalised, not the batch axis 0 nor an axis past the input's rank ${rank}. ${received}. Pick an axis of the sample, e.g. -1.`);
    }
    const order = normalizedOrder(resolved, shape, this.#where);
    if (order instanceof ChannelLayout) return { outer: order.outer, reduce: order.channels, inner: order.inner, body: null };
    return { outer: order.size / order.channels, reduce: order.channels, inner: 1, body: new ChannelsLastBody(order, order) };
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#layout = this.#resolveLayout(singleInput(this, inputShapes));
  }

  /** Scratch for the transposes, for axes that are not neighbours. */
  override workspaceSize(batch: number): number {
    return this.#layout.body?.scratchSize(batch) ?? 0;
  }

  forward(ctx: ForwardContext): void {
    const { outer, reduce, inner, body } = this.#layout;
    const run = (c: ForwardContext) => c.backend.l2Normalize(c.inputs[0], c.output, c.batch * outer, reduce, inner, SQUARED_NORM_EPSILON);
    if (body) body.forward(ctx, 0, run);
    else run(ctx);
  }

  backward(ctx: BackwardContext): void {
    const { outer, reduce, inner, body } = this.#layout;
    const run = (c: BackwardContext) => {
      const dx = c.inputGrads[0];
      if (dx) c.backend.l2NormalizeGrad(c.inputs[0], c.outputGrad, dx, c.batch * outer, reduce, inner, SQUARED_NORM_EPSILON);
    };
    if (body) body.backward(ctx, 0, run);
    else run(ctx);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: typeof this.#axis === 'number' ? this.#axis : [...this.#axis] };
  }
}

registerBuiltinLayer('UnitNormalization', (config) => new UnitNormalization(config as UnitNormalizationArgs));

/**
 * Scales each sample to unit L2 norm along `axis` (default -1), as Keras 3's UnitNormalization.
 * @example `km.layers.unitNormalization({ axis: -1 })`
 */
export function unitNormalization(args?: UnitNormalizationArgs): UnitNormalization {
  checkOptions(args, UNIT_NORMALIZATION_OPTIONS, 'km.layers.unitNormalization');
  return new UnitNormalization(args);
}
