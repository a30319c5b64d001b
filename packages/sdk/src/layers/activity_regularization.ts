import type { Regularizer } from '../regularizers/regularizers.js';
import { checkNumberOption } from '../utils/options.js';
import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ReinterpretLayer } from './reinterpret.js';
import { checkOptions } from '../utils/options.js';
import { ACTIVITY_REGULARIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link ActivityRegularization}, with Keras' defaults. */
export interface ActivityRegularizationArgs extends LayerArgs {
  /** Factor of the L1 penalty l1·Σ|x| (default 0). */
  l1?: number;
  /** Factor of the L2 penalty l2·Σx² (default 0). */
  l2?: number;
}

/**
 * Keras' ActivityRegularization (TensorFlow.js 4.22 has none): passes its input on unchanged and
 * adds l1·Σ|x| + l2·Σx² over the batch's values to the training loss, so the penalty's gradient
 * flows back into the layers before it (sparse activations, with l1). It is the activity
 * regularizer other layers take as an option, as a layer of its own.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
 *   km.layers.activityRegularization({ l1: 1e-5 }), // pushes the 64 activations towards 0
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export class ActivityRegularization extends ReinterpretLayer {
  readonly className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  // Changes nothing, so a padded sequence's mask passes through it, as in Keras.
  override get supportsMasking(): boolean {
    return true;
  }

  constructor(args: ActivityRegularizationArgs = {}) {
    super(args, 'ActivityRegularization');
    const where = `ActivityRegularization layer '${this.name}'`;
    const factor = (value: unknown, name: string) => checkNumberOption(value, name, where, (v) => v >= 0 && Number.isFinite(v), `a finite, non-negative number, e.g. ${name}: 0.01`);
    this.l1 = factor(args.l1 ?? 0, 'l1');
    this.l2 = factor(args.l2 ?? 0, 'l2');
  }

  // The penalty is taken on this layer's own output buffer, which sharing the input's would skip.
  override get aliasesInput(): boolean {
    return false;
  }

  override get activityRegularizer(): Regularizer | null {
    return { l1: this.l1, l2: this.l2 };
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}

registerBuiltinLayer('ActivityRegularization', (config) => new ActivityRegularization(config as ActivityRegularizationArgs));

/**
 * Passes its input on and adds l1·Σ|x| + l2·Σx² to the training loss, as Keras' ActivityRegularization.
 * @example `km.layers.activityRegularization({ l1: 1e-5 })`
 */
export function activityRegularization(args?: ActivityRegularizationArgs): ActivityRegularization {
  checkOptions(args, ACTIVITY_REGULARIZATION_OPTIONS, 'km.layers.activityRegularization');
  return new ActivityRegularization(args);
}
