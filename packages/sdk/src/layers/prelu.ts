import type { PreluGeometry } from '../backend/backend.js';
import type { Constraint } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import type { Regularizer, RegularizerSpec } from '../regularizers/regularizers.js';
import type { ConstraintSpec } from '../constraints/constraints.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { weightOptions, weightOptionsConfig, type WeightOptions } from './weight_options.js';
import type { LayerWeight } from './layer_weight.js';
import { checkOptions } from '../utils/options.js';
import { PRELU_OPTIONS } from './layer_options.js';
import { ReLU } from './piecewise_activations.js';

/** Options of {@link PReLU}, with tfjs' and Keras' defaults. */
export interface PReLUArgs extends LayerArgs {
  /** Initial alpha (default zeros: the layer starts as a ReLU). */
  alphaInitializer?: InitializerSpec;
  /** Penalty on alpha, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  alphaRegularizer?: RegularizerSpec;
  /** Applied to alpha after each optimizer step, e.g. `km.constraints.nonNeg()`. */
  alphaConstraint?: ConstraintSpec;
  /**
   * Axes (counting the batch as 0) along which one alpha is shared, e.g. `[1, 2]` for one alpha per
   * channel of a [h, w, c] image. kerasm takes consecutive axes only (`[1, 2]`, not `[1, 3]`).
   */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Parametric ReLU: f(x) = x for x ≥ 0, alpha·x below, with a trainable alpha shaped like the
 * input without the batch axis (size 1 along `sharedAxes`).
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [28, 28, 16] });
 * km.layers.prelu({ sharedAxes: [1, 2] }).apply(x); // 16 alphas, one per channel
 * ```
 */
export class PReLU extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'PReLU';
  readonly sharedAxes: readonly number[] | null;
  readonly alphaOptions: WeightOptions;
  readonly #alphaInitializerSpec: InitializerSpec;
  readonly #alphaInitializer: Initializer;
  readonly #where: string;
  #geometry: Omit<PreluGeometry, 'batch'> = { outer: 1, shared: 1, inner: 1 };

  constructor(args: PReLUArgs = {}) {
    super(args, 'PReLU');
    this.#where = `PReLU layer '${this.name}'`;
    this.#alphaInitializerSpec = args.alphaInitializer ?? 'zeros';
    this.#alphaInitializer = getInitializer(this.#alphaInitializerSpec, `${this.#where} alphaInitializer`);
    this.alphaOptions = weightOptions(args, 'alpha', this.#where);
    const axes = args.sharedAxes ?? null;
    const list = typeof axes === 'number' ? [axes] : axes;
    if (list !== null && (!Array.isArray(list) || !list.every((a) => Number.isInteger(a) && a >= 1))) {
      throw new Error(`${this.#where}: sharedAxes must be null, an axis or a list of axes, each an integer ≥ 1 (axis 0 is the batch). Received: sharedAxes=${JSON.stringify(args.sharedAxes)}.`);
    }
    const sorted = list === null ? null : [...new Set(list)].sort((a, b) => a - b);
    if (sorted !== null && sorted.some((a, i) => i > 0 && a !== sorted[i - 1] + 1)) {
      throw new Error(
        `${this.#where}: kerasm shares alpha along consecutive axes only, e.g. [1, 2]. Received: sharedAxes=${JSON.stringify(args.sharedAxes)}. ` +
          `Share along one run of neighbouring axes, or use sharedAxes: null for an alpha per value.`,
      );
    }
    this.sharedAxes = sorted !== null && sorted.length > 0 ? sorted : null;
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    return [this.alphaOptions.regularizer];
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    return [this.alphaOptions.constraint];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    const beyond = this.sharedAxes?.find((a) => a > shape.length);
    if (beyond !== undefined) {
      throw new Error(`${this.#where}: sharedAxes name axis ${beyond}, but input shape [null, ${shape.join(', ')}] has axes 1 to ${shape.length} besides the batch. Received: sharedAxes=${JSON.stringify(this.sharedAxes)}.`);
    }
    return shape;
  }

  /** The slopes of the negative part (tfjs' `layer.alpha`); undefined until the layer is built. */
  get alpha(): LayerWeight | undefined {
    return this.weightNamed('alpha');
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = this.computeOutputShape(inputShapes);
    const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
    if (this.sharedAxes === null) {
      this.#geometry = { outer: 1, shared: 1, inner: product(shape) };
      this.addWeight('alpha', shape, this.#alphaInitializer);
      return;
    }
    // Sample axis i is Keras axis i + 1; the shared ones form one run [first, last].
    const first = this.sharedAxes[0] - 1;
    const last = this.sharedAxes[this.sharedAxes.length - 1] - 1;
    this.#geometry = { outer: product(shape.slice(0, first)), shared: product(shape.slice(first, last + 1)), inner: product(shape.slice(last + 1)) };
    this.addWeight('alpha', shape.map((d, i) => (i >= first && i <= last ? 1 : d)), this.#alphaInitializer);
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.prelu(ctx.inputs[0], ctx.weights[0], ctx.output, { ...this.#geometry, batch: ctx.batch });
  }

  backward(ctx: BackwardContext): void {
    // A frozen layer only passes the gradient on: the kernel skips dAlpha given 0.
    const dAlpha = ctx.weightGradsNeeded ? ctx.weightGrads[0] : 0;
    ctx.backend.preluGrad(ctx.inputs[0], ctx.weights[0], ctx.outputGrad, ctx.inputGrads[0], dAlpha, { ...this.#geometry, batch: ctx.batch });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: initializerConfig(this.#alphaInitializerSpec, `${this.#where} alphaInitializer`),
      ...weightOptionsConfig('alpha', this.alphaOptions),
      sharedAxes: this.sharedAxes,
    };
  }
}

registerBuiltinLayer('PReLU', (config) => new PReLU(config as PReLUArgs));

/** Parametric ReLU with a trainable alpha. @example `km.layers.prelu({ sharedAxes: [1, 2] })` */
export function prelu(args?: PReLUArgs): PReLU {
  checkOptions(args, PRELU_OPTIONS, 'km.layers.prelu');
  return new PReLU(args);
}
