import type { BufferId } from '../backend/backend.js';
import { appliedActivation } from './activations.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { SOFTMAX_OPTIONS } from './layer_options.js';

/** Options of {@link Softmax}. */
export interface SoftmaxArgs extends LayerArgs {
  /**
   * The axis to normalize, counting the batch as axis 0 (default −1, the last), or a list of axes
   * normalized together (Keras' `axis=(-2, -1)`: one distribution over every [height, width] cell).
   */
  axis?: number | readonly number[];
}

// The backend's transpose takes up to 5 axes, the batch included.
const MAX_RANK = 5;

/**
 * Softmax along an axis (the last by default) as a layer of its own, e.g. after a Dense without
 * activation, or across the steps of a sequence (`axis: 1`). As the output layer of a model trained
 * with a cross-entropy loss, a softmax over the last axis is applied fused with the cross-entropy,
 * as for `activation: 'softmax'`.
 *
 * @example
 * ```ts
 * const model = km.sequential([km.layers.dense({ units: 10, inputShape: [784] }), km.layers.softmax()]);
 * // Attention-style weights over the 20 steps of each of 8 channels:
 * km.layers.softmax({ axis: 1 }).apply(km.input({ shape: [20, 8] }));
 * ```
 */
export class Softmax extends Layer {
  readonly className = 'Softmax';
  readonly axis: number | readonly number[];
  #cols = 1;
  #sampleSize = 1;
  /** The input's axes (batch first) with the normalized ones moved last, or null when they already are. */
  #perm: number[] | null = null;
  #inverse: number[] = [];
  #sampleShape: Shape = [];
  #lastSize = 1;

  constructor(args: SoftmaxArgs = {}) {
    super(args, 'Softmax');
    const axis = args.axis ?? -1;
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length === 0 || !axes.every((a) => typeof a === 'number' && Number.isInteger(a))) {
      throw new Error(`Softmax layer '${this.name}': axis must be an integer (−1 for the last axis) or a list of them. Received: axis=${JSON.stringify(args.axis)}.`);
    }
    // A list of one axis is that axis.
    this.axis = axes.length === 1 ? axes[0] : [...axes];
  }

  /** Whether it normalizes the last axis alone, as `activation: 'softmax'` does. */
  get #lastAxisOnly(): boolean {
    return this.#perm === null && this.#cols === this.#lastSize;
  }

  // Along the last axis each step normalizes alone, so a padded sequence's mask passes through;
  // across steps a padded step would take a share.
  override get supportsMasking(): boolean {
    return this.#lastAxisOnly;
  }

  /** Why a mask cannot reach it, for the error a masked input gets (engine/masks.ts); undefined where it takes one. */
  get maskRefusal(): string | undefined {
    if (this.#lastAxisOnly) return undefined;
    return `normalizes across axis ${JSON.stringify(this.axis)}, so padded steps would take a share of each sample's softmax; it takes a mask only when it normalizes the last axis alone (axis: -1, each step by itself), and no mask across steps`;
  }

  /** 'softmax' when it normalizes the last axis alone, so a cross-entropy loss may fuse it. */
  override get outputActivation(): string {
    return this.#lastAxisOnly ? 'softmax' : 'linear';
  }

  /** The sample axes (batch not counted, so 1-based) the layer normalizes, checked against the input's rank. */
  #normalizedAxes(shape: Shape): number[] {
    const rank = shape.length + 1;
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + rank : a));
    const bad = axes.find((a) => a < 1 || a >= rank);
    if (bad !== undefined || new Set(axes).size !== axes.length) {
      throw new Error(
        `Softmax layer '${this.name}': axis ${JSON.stringify(this.axis)} must name distinct axes of the input [null, ${shape.join(', ')}] other than the batch: 1..${rank - 1}, or −1..−${rank - 1}. ` +
          `E.g. axis: -1 for the last, or axis: 1 across the first sample axis.`,
      );
    }
    return axes.sort((a, b) => a - b);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    this.#normalizedAxes(shape);
    return shape;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = this.computeOutputShape(inputShapes);
    const axes = this.#normalizedAxes(shape);
    this.#sampleSize = shape.reduce((a, b) => a * b, 1);
    this.#cols = axes.reduce((n, a) => n * shape[a - 1], 1);
    this.#lastSize = shape[shape.length - 1] ?? 1;
    const kept = shape.map((_, i) => i + 1).filter((a) => !axes.includes(a));
    const trailing = axes.every((a, i) => a === shape.length - axes.length + 1 + i);
    if (trailing) return;
    if (shape.length + 1 > MAX_RANK) {
      throw new Error(`Softmax layer '${this.name}': across axis ${JSON.stringify(this.axis)} kerasm takes inputs of up to ${MAX_RANK - 1} sample axes; received [null, ${shape.join(', ')}]. Reshape to fewer axes first.`);
    }
    this.#perm = [0, ...kept, ...axes];
    this.#inverse = this.#perm.map((_, i) => this.#perm!.indexOf(i));
    this.#sampleShape = shape;
  }

  override workspaceSize(batch: number): number {
    // The input or its gradient, the output and the output's gradient, with the normalized axes last.
    return this.#perm ? 3 * batch * this.#sampleSize : 0;
  }

  #rows(batch: number): number {
    return (batch * this.#sampleSize) / this.#cols;
  }

  /** The workspace's three regions for a batch: permuted input (then input gradient), output and output gradient. */
  #regions(ctx: ForwardContext | BackwardContext): [BufferId, BufferId, BufferId] {
    const n = ctx.batch * this.#sampleSize;
    return [0, 1, 2].map((k) => ctx.backend.view(ctx.workspace, k * n, n)) as [BufferId, BufferId, BufferId];
  }

  forward(ctx: ForwardContext): void {
    const activation = appliedActivation('softmax', this.#lastAxisOnly && ctx.deferSoftmax);
    if (!this.#perm) return ctx.backend.activation(activation, ctx.inputs[0], ctx.output, this.#rows(ctx.batch), this.#cols);
    const [x, y] = this.#regions(ctx);
    const dims = [ctx.batch, ...this.#sampleShape];
    ctx.backend.transpose(ctx.inputs[0], x, dims, this.#perm);
    ctx.backend.activation(activation, x, y, this.#rows(ctx.batch), this.#cols);
    ctx.backend.transpose(y, ctx.output, this.#perm.map((a) => dims[a]), this.#inverse);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const activation = appliedActivation('softmax', this.#lastAxisOnly && ctx.deferSoftmax);
    if (!this.#perm) return ctx.backend.activationGrad(activation, ctx.output, ctx.outputGrad, dx, this.#rows(ctx.batch), this.#cols);
    const [dxPermuted, y, dy] = this.#regions(ctx);
    const dims = [ctx.batch, ...this.#sampleShape];
    ctx.backend.transpose(ctx.outputGrad, dy, dims, this.#perm);
    ctx.backend.activationGrad(activation, y, dy, dxPermuted, this.#rows(ctx.batch), this.#cols);
    ctx.backend.transpose(dxPermuted, dx, this.#perm.map((a) => dims[a]), this.#inverse);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerBuiltinLayer('Softmax', (config) => new Softmax(config as SoftmaxArgs));

/** Softmax along the last axis. @example `km.layers.softmax()` */
export function softmax(args?: SoftmaxArgs): Softmax {
  checkOptions(args, SOFTMAX_OPTIONS, 'km.layers.softmax');
  return new Softmax(args);
}
