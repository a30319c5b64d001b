import type { ParametricActivation } from '../backend/backend.js';
import { checkNumberOption } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { ELU_OPTIONS, LEAKY_RELU_OPTIONS, RELU_OPTIONS, THRESHOLDED_RELU_OPTIONS } from './layer_options.js';

/** Options of {@link ReLU}, with Keras' defaults. */
export interface ReLUArgs extends LayerArgs {
  /** Largest output (default none); `null` means none, as tfjs and Keras write it. */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs at or below it give 0 (default 0). */
  threshold?: number;
}

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0, ≥ 0 (default 0.3, as in tfjs and Keras 2). */
  alpha?: number;
}

/** Options of {@link ELU}. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part, alpha·(eˣ − 1) (default 1). */
  alpha?: number;
}

/** Options of {@link ThresholdedReLU}. */
export interface ThresholdedReLUArgs extends LayerArgs {
  /** Inputs at or below it give 0, ≥ 0 (default 1). */
  theta?: number;
}

const finite = (v: number): boolean => Number.isFinite(v);
const nonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0;

/**
 * An element-wise activation with parameters. Its backward pass reads the layer's input, so the
 * gradient at each breakpoint is the one Keras and TensorFlow.js give.
 */
abstract class ParametricActivationLayer extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  /** The function and its parameters, as the backend's kernels take them. */
  protected abstract readonly fn: ParametricActivation;
  #sampleSize = 1;

  /** How errors name the layer, e.g. "LeakyReLU layer 'leaky_re_lu'". */
  protected get where(): string {
    return `${this.className} layer '${this.name}'`;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#sampleSize = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.parametricActivation(this.fn, ctx.inputs[0], ctx.output, ctx.batch * this.#sampleSize);
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    ctx.backend.parametricActivationGrad(this.fn, ctx.inputs[0], ctx.outputGrad, ctx.inputGrads[0], ctx.batch * this.#sampleSize);
  }
}

/**
 * Keras' ReLU layer: f(x) = x·[x > threshold], clipped to [0, maxValue] when maxValue is given,
 * minus negativeSlope·max(threshold − x, 0). At x == threshold the gradient is negativeSlope.
 * tfjs-layers 4.22's ReLU only knows maxValue: it loads a model saved with a non-zero
 * negativeSlope or threshold but ignores them (kerasm writes them into the config only when set).
 *
 * @example
 * ```ts
 * km.layers.reLU({ maxValue: 6 }); // ReLU6, as in MobileNet
 * km.layers.reLU({ negativeSlope: 0.1, threshold: 0.5 });
 * ```
 */
export class ReLU extends ParametricActivationLayer {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  protected readonly fn: ParametricActivation;

  constructor(args: ReLUArgs = {}) {
    super(args, 'ReLU');
    this.maxValue = args.maxValue == null ? null : checkNumberOption(args.maxValue, 'maxValue', this.where, nonNegative, 'a number ≥ 0 or null (no maximum)');
    this.negativeSlope = checkNumberOption(args.negativeSlope ?? 0, 'negativeSlope', this.where, nonNegative, 'a number ≥ 0');
    this.threshold = checkNumberOption(args.threshold ?? 0, 'threshold', this.where, finite, 'a finite number');
    const clip = this.maxValue === null ? { lo: -Infinity, hi: Infinity } : { lo: 0, hi: this.maxValue };
    this.fn = { kind: 'piecewiseLinear', threshold: this.threshold, negativeSlope: this.negativeSlope, ...clip };
  }

  override getConfig(): Record<string, unknown> {
    // negativeSlope and threshold only when set, so that the config is the one tfjs-layers (which
    // lacks both) writes for the same layer.
    const extras = { ...(this.negativeSlope !== 0 && { negativeSlope: this.negativeSlope }), ...(this.threshold !== 0 && { threshold: this.threshold }) };
    return { ...super.getConfig(), maxValue: this.maxValue, ...extras };
  }
}

/**
 * f(x) = x for x ≥ 0, alpha·x below: a ReLU that lets a little gradient through, as GAN
 * discriminators use it.
 *
 * @example
 * ```ts
 * km.layers.leakyReLU({ alpha: 0.2 });
 * ```
 */
export class LeakyReLU extends ParametricActivationLayer {
  readonly className = 'LeakyReLU';
  readonly alpha: number;
  protected readonly fn: ParametricActivation;

  constructor(args: LeakyReLUArgs = {}) {
    super(args, 'LeakyReLU');
    this.alpha = checkNumberOption(args.alpha ?? 0.3, 'alpha', this.where, nonNegative, 'a number ≥ 0');
    this.fn = { kind: 'piecewiseLinear', threshold: 0, negativeSlope: this.alpha, lo: -Infinity, hi: Infinity };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/**
 * Exponential linear unit: f(x) = x for x > 0, alpha·(eˣ − 1) otherwise. tfjs-layers 4.22 only
 * loads alpha = 1 (its ELU throws on any other); Keras takes any.
 *
 * @example
 * ```ts
 * km.layers.elu({ alpha: 0.5 });
 * ```
 */
export class ELU extends ParametricActivationLayer {
  readonly className = 'ELU';
  readonly alpha: number;
  protected readonly fn: ParametricActivation;

  constructor(args: ELUArgs = {}) {
    super(args, 'ELU');
    this.alpha = checkNumberOption(args.alpha ?? 1, 'alpha', this.where, finite, 'a finite number');
    this.fn = { kind: 'elu', alpha: this.alpha };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/**
 * f(x) = x for x > theta, 0 otherwise (x == theta gives 0, as in tfjs and Keras).
 *
 * @example
 * ```ts
 * km.layers.thresholdedReLU({ theta: 0.5 });
 * ```
 */
export class ThresholdedReLU extends ParametricActivationLayer {
  readonly className = 'ThresholdedReLU';
  readonly theta: number;
  protected readonly fn: ParametricActivation;

  constructor(args: ThresholdedReLUArgs = {}) {
    super(args, 'ThresholdedReLU');
    this.theta = checkNumberOption(args.theta ?? 1, 'theta', this.where, nonNegative, 'a number ≥ 0');
    this.fn = { kind: 'piecewiseLinear', threshold: this.theta, negativeSlope: 0, lo: -Infinity, hi: Infinity };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }
}

registerBuiltinLayer('ReLU', (config) => new ReLU(config as ReLUArgs));
// Keras 3 saves LeakyReLU's alpha as negative_slope.
registerBuiltinLayer('LeakyReLU', ({ negativeSlope, ...config }) => new LeakyReLU({ ...config, alpha: config.alpha ?? negativeSlope } as LeakyReLUArgs));
registerBuiltinLayer('ELU', (config) => new ELU(config as ELUArgs));
registerBuiltinLayer('ThresholdedReLU', (config) => new ThresholdedReLU(config as ThresholdedReLUArgs));

/** Keras' ReLU layer, with an optional cap, slope and threshold. @example `km.layers.reLU({ maxValue: 6 })` */
export function reLU(args?: ReLUArgs): ReLU {
  checkOptions(args, RELU_OPTIONS, 'km.layers.reLU');
  return new ReLU(args);
}

/** x for x ≥ 0, alpha·x below (alpha default 0.3). @example `km.layers.leakyReLU({ alpha: 0.2 })` */
export function leakyReLU(args?: LeakyReLUArgs): LeakyReLU {
  checkOptions(args, LEAKY_RELU_OPTIONS, 'km.layers.leakyReLU');
  return new LeakyReLU(args);
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (alpha default 1). @example `km.layers.elu({ alpha: 1 })` */
export function elu(args?: ELUArgs): ELU {
  checkOptions(args, ELU_OPTIONS, 'km.layers.elu');
  return new ELU(args);
}

/** x for x > theta, else 0 (theta default 1). @example `km.layers.thresholdedReLU({ theta: 0.5 })` */
export function thresholdedReLU(args?: ThresholdedReLUArgs): ThresholdedReLU {
  checkOptions(args, THRESHOLDED_RELU_OPTIONS, 'km.layers.thresholdedReLU');
  return new ThresholdedReLU(args);
}
