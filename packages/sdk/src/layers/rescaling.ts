import { checkNumberOption } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { RESCALING_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Rescaling}. */
export interface RescalingArgs extends LayerArgs {
  /** The factor every input is multiplied by, e.g. 1 / 255 for 8-bit pixels. */
  scale: number;
  /** Added after scaling (default 0), e.g. -1 with scale 1 / 127.5 maps [0, 255] to [-1, 1]. */
  offset?: number;
}

/**
 * tfjs' preprocessing layer y = x·scale + offset, with no weights: put pixel scaling inside the
 * model, so that it is saved with it.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.rescaling({ scale: 1 / 255, inputShape: [28, 28, 1] }),
 *   km.layers.flatten(),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export class Rescaling extends Layer {
  readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;
  #size = 0;

  constructor(args: RescalingArgs) {
    super(args, 'Rescaling');
    const where = `Rescaling layer '${this.name}'`;
    this.scale = checkNumberOption(args.scale, 'scale', where, Number.isFinite, 'a finite number (e.g. 1 / 255)');
    this.offset = checkNumberOption(args.offset ?? 0, 'offset', where, Number.isFinite, 'a finite number');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#size = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  override workspaceSize(batch: number): number {
    return this.offset === 0 ? 0 : batch * this.#size;
  }

  forward(ctx: ForwardContext): void {
    const n = ctx.batch * this.#size;
    ctx.backend.copy(ctx.inputs[0], ctx.output, n);
    ctx.backend.scale(ctx.output, n, this.scale);
    if (this.offset === 0) return;
    ctx.backend.fill(ctx.workspace, n, this.offset);
    ctx.backend.add(ctx.output, ctx.workspace, ctx.output, n);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const n = ctx.batch * this.#size;
    ctx.backend.copy(ctx.outputGrad, dx, n);
    ctx.backend.scale(dx, n, this.scale);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

registerBuiltinLayer('Rescaling', (config) => new Rescaling(config as unknown as RescalingArgs));

/** y = x·scale + offset. @example `km.layers.rescaling({ scale: 1 / 255 })` */
export function rescaling(args: RescalingArgs): Rescaling {
  checkRequiredOptions(args, RESCALING_OPTIONS, 'km.layers.rescaling');
  return new Rescaling(args);
}
