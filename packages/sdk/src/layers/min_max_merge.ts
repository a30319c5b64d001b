import type { BackwardContext, ForwardContext } from './layer.js';
import { ElementwiseMerge, type MergeArgs } from './merge.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { LAYER_OPTIONS } from './layer_options.js';
import { mergeFactory } from './merge_factory.js';

/**
 * The elementwise maximum or minimum of its inputs. The gradient goes to the input that gives the
 * output; where several do (ties), to the first of them, as tfjs' gradient of its chain of
 * tf.maximum (tf.minimum) calls does.
 */
abstract class SelectMerge extends ElementwiseMerge {
  protected abstract readonly takeMax: boolean;

  protected override scratchSize(batch: number): number {
    // The gradient still to route, and a sink for inputs that need none.
    return 2 * batch * this.size;
  }

  protected combine(ctx: ForwardContext): void {
    const n = ctx.batch * this.size;
    ctx.backend.minMax(this.takeMax, ctx.inputs[0], ctx.inputs[1], ctx.output, n);
    for (let k = 2; k < ctx.inputs.length; k++) ctx.backend.minMax(this.takeMax, ctx.output, ctx.inputs[k], ctx.output, n);
  }

  protected combineGrad(ctx: BackwardContext): void {
    const n = ctx.batch * this.size;
    const b = ctx.backend;
    const pending = b.view(ctx.workspace, 0, n);
    const sink = b.view(ctx.workspace, n, n);
    b.copy(ctx.outputGrad, pending, n);
    ctx.inputs.forEach((x, k) => b.routeToFirstMatch(x, ctx.output, pending, ctx.inputGrads[k] || sink, n));
  }
}

/**
 * The elementwise maximum of its inputs (two or more, whose shapes broadcast); ties send the gradient to the
 * first input holding the maximum.
 *
 * @example
 * ```ts
 * const [a, b] = [km.input({ shape: [8] }), km.input({ shape: [8] })];
 * km.layers.maximum().apply([a, b]).shape; // [8]
 * ```
 */
export class Maximum extends SelectMerge {
  readonly className = 'Maximum';
  protected readonly takeMax = true;

  constructor(args: MergeArgs = {}) {
    super(args, 'Maximum');
  }
}

/**
 * The elementwise minimum of its inputs (two or more, whose shapes broadcast); ties send the gradient to the
 * first input holding the minimum.
 *
 * @example
 * ```ts
 * const [a, b] = [km.input({ shape: [8] }), km.input({ shape: [8] })];
 * km.layers.minimum().apply([a, b]).shape; // [8]
 * ```
 */
export class Minimum extends SelectMerge {
  readonly className = 'Minimum';
  protected readonly takeMax = false;

  constructor(args: MergeArgs = {}) {
    super(args, 'Minimum');
  }
}

registerBuiltinLayer('Maximum', (config) => new Maximum(config as MergeArgs));
registerBuiltinLayer('Minimum', (config) => new Minimum(config as MergeArgs));

/** Elementwise maximum of its inputs. @example `km.layers.maximum().apply([a, b])` */
export const maximum = mergeFactory((args?: MergeArgs): Maximum => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.maximum');
  return new Maximum(args);
});

/** Elementwise minimum of its inputs. @example `km.layers.minimum().apply([a, b])` */
export const minimum = mergeFactory((args?: MergeArgs): Minimum => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.minimum');
  return new Minimum(args);
});
