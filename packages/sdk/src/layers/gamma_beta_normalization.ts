import type { BufferId } from '../backend/backend.js';
import type { Constraint, ConstraintSpec } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type InitializerSpec } from '../initializers/initializers.js';
import type { Regularizer, RegularizerSpec } from '../regularizers/regularizers.js';
import { checkBooleanOption, checkNumberOption } from '../utils/options.js';
import { Layer, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { weightOptions, weightOptionsConfig, type WeightOptions } from './weight_options.js';
import type { LayerWeight } from './layer_weight.js';

/** The options of a normalization layer's ε and its learned scale `gamma` and offset `beta`, with Keras' defaults. */
export interface GammaBetaArgs extends LayerArgs {
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  /** Initializer of `beta` (default zeros). */
  betaInitializer?: InitializerSpec;
  /** Initializer of `gamma` (default ones). */
  gammaInitializer?: InitializerSpec;
  /** Penalty on `beta`, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  betaRegularizer?: RegularizerSpec;
  /** Penalty on `gamma`. */
  gammaRegularizer?: RegularizerSpec;
  /** Applied to `beta` after each optimizer step. */
  betaConstraint?: ConstraintSpec;
  /** Applied to `gamma` after each optimizer step, e.g. `km.constraints.nonNeg()`. */
  gammaConstraint?: ConstraintSpec;
}

/**
 * The base of LayerNormalization and GroupNormalization: ε, and the optional scale `gamma` and offset
 * `beta` with their initializers, regularizers and constraints, checked, built, saved and handed to
 * the kernels the same way in both.
 */
export abstract class GammaBetaNormalization extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  /** `<ClassName> layer '<name>'`, for messages. */
  protected readonly where: string;
  readonly #betaInitializer: InitializerSpec;
  readonly #gammaInitializer: InitializerSpec;
  readonly #gamma: WeightOptions;
  readonly #beta: WeightOptions;

  constructor(args: GammaBetaArgs, className: string) {
    super(args, className);
    this.where = `${className} layer '${this.name}'`;
    this.epsilon = checkNumberOption(args.epsilon ?? 1e-3, 'epsilon', this.where, (v) => v > 0 && Number.isFinite(v), 'a positive number, e.g. 1e-3');
    this.center = checkBooleanOption(args.center ?? true, 'center', this.where);
    this.scale = checkBooleanOption(args.scale ?? true, 'scale', this.where);
    this.#betaInitializer = args.betaInitializer ?? 'zeros';
    this.#gammaInitializer = args.gammaInitializer ?? 'ones';
    // A bad initializer fails here, where the layer is made, rather than when a model builds it.
    getInitializer(this.#betaInitializer, `${this.where} betaInitializer`);
    getInitializer(this.#gammaInitializer, `${this.where} gammaInitializer`);
    this.#gamma = weightOptions(args, 'gamma', this.where);
    this.#beta = weightOptions(args, 'beta', this.where);
  }

  /** gamma's and beta's options, in `build` order. */
  get #weightOptions(): WeightOptions[] {
    return [...(this.scale ? [this.#gamma] : []), ...(this.center ? [this.#beta] : [])];
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    return this.#weightOptions.map((o) => o.regularizer);
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    return this.#weightOptions.map((o) => o.constraint);
  }

  /** Adds the gamma and beta the layer has, each of `shape`. */
  /** The scale weight; undefined also without `scale` (tfjs' `layer.gamma`); undefined until the layer is built. */
  get gamma(): LayerWeight | undefined {
    return this.weightNamed('gamma');
  }

  /** The offset weight; undefined also without `center` (tfjs' `layer.beta`); undefined until the layer is built. */
  get beta(): LayerWeight | undefined {
    return this.weightNamed('beta');
  }

  protected addGammaBeta(shape: Shape): void {
    if (this.scale) this.addWeight('gamma', shape, getInitializer(this.#gammaInitializer));
    if (this.center) this.addWeight('beta', shape, getInitializer(this.#betaInitializer));
  }

  /** gamma and beta among `buffers` (the weights, or their gradients), 0 where the layer has none. */
  protected gammaBeta(buffers: readonly BufferId[]): [BufferId, BufferId] {
    return [this.scale ? buffers[0] : 0, this.center ? buffers[this.scale ? 1 : 0] : 0];
  }

  /** The config entries of ε, center, scale, and gamma's and beta's options, as Keras and tfjs write them. */
  protected gammaBetaConfig(): Record<string, unknown> {
    const init = (spec: InitializerSpec, key: string) => initializerConfig(spec, `${this.where} ${key}`);
    return {
      epsilon: this.epsilon, center: this.center, scale: this.scale,
      betaInitializer: init(this.#betaInitializer, 'betaInitializer'), gammaInitializer: init(this.#gammaInitializer, 'gammaInitializer'),
      ...weightOptionsConfig('beta', this.#beta), ...weightOptionsConfig('gamma', this.#gamma),
    };
  }
}
