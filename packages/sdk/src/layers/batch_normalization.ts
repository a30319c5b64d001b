import type { Constraint, ConstraintSpec } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type InitializerSpec } from '../initializers/initializers.js';
import type { Regularizer, RegularizerSpec } from '../regularizers/regularizers.js';
import { weightOptions, weightOptionsConfig, type WeightOptions } from './weight_options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ChannelLayout, ChannelsLastBody, checkChannelAxisOption } from './channel_axis.js';
import type { LayerWeight } from './layer_weight.js';
import { checkOptions } from '../utils/options.js';
import { BATCH_NORMALIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link BatchNormalization}, with Keras' defaults. */
export interface BatchNormalizationArgs extends LayerArgs {
  /**
   * The features axis, counting the batch as 0: -1 (the default, channels-last) or any other, e.g.
   * 1 after a `dataFormat: 'channelsFirst'` convolution. A one-element list, as tf.keras 2 saves it,
   * is taken too.
   */
  axis?: number | readonly number[];
  /** Weight of the old value in the moving statistics' update (default 0.99). */
  momentum?: number;
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
  /** Initializer of the moving mean used at inference (default zeros). */
  movingMeanInitializer?: InitializerSpec;
  /** Initializer of the moving variance used at inference (default ones). */
  movingVarianceInitializer?: InitializerSpec;
  /** Penalty on `beta`, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  betaRegularizer?: RegularizerSpec;
  /** Penalty on `gamma`. */
  gammaRegularizer?: RegularizerSpec;
  /** Applied to `beta` after each optimizer step. */
  betaConstraint?: ConstraintSpec;
  /** Applied to `gamma` after each optimizer step, e.g. `km.constraints.nonNeg()`. */
  gammaConstraint?: ConstraintSpec;
}

type InitializerKey = 'beta' | 'gamma' | 'movingMean' | 'movingVariance';

function checkNumber(value: number, name: string, layer: string, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !ok(value)) {
    throw new Error(`BatchNormalization layer '${layer}': ${name} must be ${expected}. Received: ${name}=${JSON.stringify(value)}.`);
  }
  return value;
}

/** Columns of per-channel values at the start of the workspace: batch mean, 1/√(var + ε), and two of scratch. */
const STATISTICS = 4;

/**
 * Normalizes each feature (on `axis`, by default the last) to zero mean and unit variance, then
 * scales by `gamma` and shifts by `beta`. While training it uses the batch's statistics and moves
 * the non-trainable `movingMean` and `movingVariance` towards them
 * (`moving·momentum + batch·(1 − momentum)`); in inference (`predict`, `evaluate`) it uses the
 * moving statistics.
 *
 * A frozen layer (`trainable: false`, or `layer.trainable = false` set later, which takes effect
 * on the next `fit`) runs in inference mode even inside `fit`, as in Keras (TF 2 and Keras 3):
 * it normalizes with the moving statistics, leaves them unchanged, and `gamma` and `beta` are not
 * updated; the gradient it passes back is `dy·gamma/√(movingVariance + ε)` per feature. This is
 * what fine-tuning a pretrained model relies on. TensorFlow.js 4.22 differs (its frozen layer still
 * normalizes with, and moves towards, the batch statistics in `fit`); kerasm follows Keras, so a
 * model behaves the same after moving between Keras and kerasm.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [28, 28, 1] });
 * const y = km.layers.batchNormalization().apply(km.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(x));
 * // Fine-tuning: keep the pretrained statistics and scale.
 * const frozen = km.layers.batchNormalization({ trainable: false });
 * // A scale that stays non-negative, with weight decay:
 * km.layers.batchNormalization({ gammaConstraint: km.constraints.nonNeg(), gammaRegularizer: km.regularizers.l2({ l2: 1e-4 }) });
 * // After km.layers.conv2d({ dataFormat: 'channelsFirst', ... }):
 * km.layers.batchNormalization({ axis: 1 });
 * ```
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly #initializers: Record<InitializerKey, InitializerSpec>;
  readonly #gamma: WeightOptions;
  readonly #beta: WeightOptions;
  /** As given (negative counts from the end); resolved against the input when built. */
  readonly #axis: number;
  /** The input's (and output's) layout once built, and how the kernels run on it channels-last. */
  #body: ChannelsLastBody<ChannelLayout> | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'BatchNormalization');
    this.#axis = checkChannelAxisOption(args.axis, `BatchNormalization layer '${this.name}'`);
    this.momentum = checkNumber(args.momentum ?? 0.99, 'momentum', this.name, (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
    this.epsilon = checkNumber(args.epsilon ?? 1e-3, 'epsilon', this.name, (v) => v > 0, 'a positive number');
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.#initializers = {
      beta: args.betaInitializer ?? 'zeros',
      gamma: args.gammaInitializer ?? 'ones',
      movingMean: args.movingMeanInitializer ?? 'zeros',
      movingVariance: args.movingVarianceInitializer ?? 'ones',
    };
    const where = `BatchNormalization layer '${this.name}'`;
    // A bad initializer fails here, where the layer is made, rather than when a model builds it.
    for (const [weight, spec] of Object.entries(this.#initializers)) getInitializer(spec, `${where} ${weight}Initializer`);
    this.#gamma = weightOptions(args, 'gamma', where);
    this.#beta = weightOptions(args, 'beta', where);
  }

  /** gamma's and beta's, in `build` order (the moving statistics have none). */
  get #trainableWeightOptions(): WeightOptions[] {
    return [...(this.scale ? [this.#gamma] : []), ...(this.center ? [this.#beta] : [])];
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    return this.#trainableWeightOptions.map((o) => o.regularizer);
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    return this.#trainableWeightOptions.map((o) => o.constraint);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    new ChannelLayout(this.#axis, shape, `BatchNormalization layer '${this.name}'`);
    return shape;
  }

  /** The scale weight; undefined also without `scale` (tfjs' `layer.gamma`); undefined until the layer is built. */
  get gamma(): LayerWeight | undefined {
    return this.weightNamed('gamma');
  }

  /** The offset weight; undefined also without `center` (tfjs' `layer.beta`); undefined until the layer is built. */
  get beta(): LayerWeight | undefined {
    return this.weightNamed('beta');
  }

  /** The moving mean (not trainable) (tfjs' `layer.movingMean`); undefined until the layer is built. */
  get movingMean(): LayerWeight | undefined {
    return this.weightNamed('moving_mean');
  }

  /** The moving variance (not trainable) (tfjs' `layer.movingVariance`); undefined until the layer is built. */
  get movingVariance(): LayerWeight | undefined {
    return this.weightNamed('moving_variance');
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const layout = new ChannelLayout(this.#axis, singleInput(this, inputShapes), `BatchNormalization layer '${this.name}'`);
    this.#body = new ChannelsLastBody(layout, layout);
    const features = [layout.channels];
    if (this.scale) this.addWeight('gamma', features, getInitializer(this.#initializers.gamma));
    if (this.center) this.addWeight('beta', features, getInitializer(this.#initializers.beta));
    this.addWeight('moving_mean', features, getInitializer(this.#initializers.movingMean), false);
    this.addWeight('moving_variance', features, getInitializer(this.#initializers.movingVariance), false);
  }

  get #built(): ChannelsLastBody<ChannelLayout> {
    if (!this.#body) throw new Error(`BatchNormalization layer '${this.name}' is used before it is built.`);
    return this.#body;
  }

  /**
   * The batch mean and 1/√(var + ε), kept from the forward to the backward pass, two more columns
   * of scratch for an inference-mode backward pass, then the layout's scratch.
   */
  // Training normalizes by the batch's statistics (a frozen layer, which uses its moving ones, runs alike either way).
  override get couplesSamples(): boolean {
    return true;
  }

  override workspaceSize(batch: number): number {
    return STATISTICS * this.#built.input.channels + this.#built.scratchSize(batch);
  }

  /** gamma, beta (0 when absent), moving mean, moving variance. */
  #weights(weights: readonly number[]): [number, number, number, number] {
    let i = 0;
    const gamma = this.scale ? weights[i++] : 0;
    const beta = this.center ? weights[i++] : 0;
    return [gamma, beta, weights[i], weights[i + 1]];
  }

  forward(ctx: ForwardContext): void {
    const { backend, workspace } = ctx;
    const { channels: cols, size } = this.#built.input;
    const rows = (ctx.batch * size) / cols;
    const [gamma, beta, movingMean, movingVar] = this.#weights(ctx.weights);
    const mean = backend.view(workspace, 0, cols);
    const invStd = backend.view(workspace, cols, cols);
    this.#built.forward(ctx, STATISTICS * cols, ({ inputs: [x], output: y }) => {
      if (ctx.training && this.trainable) backend.batchNormTrain(x, y, gamma, beta, movingMean, movingVar, mean, invStd, rows, cols, this.epsilon, this.momentum);
      else backend.batchNormInfer(x, y, gamma, beta, movingMean, movingVar, invStd, rows, cols, this.epsilon);
    });
  }

  backward(ctx: BackwardContext): void {
    const { backend, workspace } = ctx;
    const { channels: cols, size } = this.#built.input;
    const rows = (ctx.batch * size) / cols;
    const [gamma, , movingMean, movingVar] = this.#weights(ctx.weights);
    const [dGamma, dBeta] = this.#weights(ctx.weightGrads);
    const mean = backend.view(workspace, 0, cols);
    const invStd = backend.view(workspace, cols, cols);
    this.#built.backward(ctx, STATISTICS * cols, ({ inputs: [x], outputGrad: dy, inputGrads: [dx] }) => {
      if (ctx.training && this.trainable) {
        backend.batchNormGrad(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols);
        return;
      }
      const [ones, scratch] = [2, 3].map((k) => backend.view(workspace, k * cols, cols));
      // Inference mode: the moving statistics are constants. The inference kernel on one row of
      // ones about a zero mean gives 1/√(movingVar + ε); about the moving mean, the training
      // gradient then gives gamma's and beta's (a frozen layer takes none).
      backend.fill(mean, cols, 0);
      if (this.trainable && (dGamma || dBeta)) {
        backend.fill(ones, cols, 1);
        backend.batchNormInfer(ones, invStd, 0, 0, mean, movingVar, scratch, 1, cols, this.epsilon);
        backend.batchNormGrad(x, dy, 0, gamma, movingMean, invStd, dGamma, dBeta, rows, cols);
      } else {
        if (dGamma) backend.fill(dGamma, cols, 0);
        if (dBeta) backend.fill(dBeta, cols, 0);
      }
      // dx = dy·gamma/√(movingVar + ε) per column: the inference kernel applied to dy about a zero mean.
      if (dx) backend.batchNormInfer(dy, dx, gamma, 0, mean, movingVar, scratch, rows, cols, this.epsilon);
    });
  }

  override getConfig(): Record<string, unknown> {
    const init = (key: InitializerKey) => initializerConfig(this.#initializers[key], `BatchNormalization layer '${this.name}' ${key}Initializer`);
    return {
      ...super.getConfig(), axis: this.#axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale,
      betaInitializer: init('beta'), gammaInitializer: init('gamma'), movingMeanInitializer: init('movingMean'), movingVarianceInitializer: init('movingVariance'),
      ...weightOptionsConfig('beta', this.#beta), ...weightOptionsConfig('gamma', this.#gamma),
    };
  }
}

registerBuiltinLayer('BatchNormalization', (config) => new BatchNormalization(config as BatchNormalizationArgs));

/** Normalizes features with batch statistics in training and moving statistics in inference. @example `km.layers.batchNormalization()` */
export function batchNormalization(args?: BatchNormalizationArgs): BatchNormalization {
  checkOptions(args, BATCH_NORMALIZATION_OPTIONS, 'km.layers.batchNormalization');
  return new BatchNormalization(args);
}
