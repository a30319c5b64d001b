import type { Initializer } from '../initializers/initializers.js';
import { writeLayerWeights } from '../engine/weight_homes.js';
import { Tensor } from '../tensor.js';
import { formatShape, Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { adaptBatches, FeatureMoments } from './normalization_statistics.js';

/** Options of {@link Normalization}, with Keras' defaults. */
export interface NormalizationArgs extends LayerArgs {
  /** The feature axis, whose every entry gets its own mean and variance: the last (-1, the default) is the one supported. */
  axis?: number;
  /** Fixed means (one per feature, or one for all) instead of adapting; give variance with it. */
  mean?: number | readonly number[] | null;
  /** Fixed variances, with mean. */
  variance?: number | readonly number[] | null;
  /** Keras' invert (map normalized values back); not supported, so only false. */
  invert?: boolean;
}

// Keras divides by max(√variance, epsilon) with its backend epsilon, 1e-7: √max(variance, 1e-14) is the same.
const MIN_VARIANCE = 1e-14;

function statistic(value: NormalizationArgs['mean'], name: string, where: string): number[] | null {
  if (value === undefined || value === null) return null;
  const list = typeof value === 'number' ? [value] : Array.isArray(value) ? [...value] : null;
  if (!list || list.length === 0 || !list.every((v) => Number.isFinite(v) && (name !== 'variance' || v >= 0))) {
    throw new Error(`${where}: ${name} must be a ${name === 'variance' ? 'non-negative ' : ''}finite number or a list of them, one per feature. Received: ${name}=${JSON.stringify(value)}.`);
  }
  return list;
}

function filled(values: readonly number[]): Initializer {
  return (shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return Float32Array.from({ length: size }, (_, i) => values[values.length === 1 ? 0 : i]);
  };
}

/**
 * Keras' preprocessing layer that standardizes each feature: y = (x − mean) / √variance, with the
 * mean and variance given, or learned from data by `adapt`. They are non-trainable weights (`mean`,
 * `variance` and the `count` of samples adapted on), so a saved model keeps them.
 *
 * @example
 * ```ts
 * const norm = km.layers.normalization({ inputShape: [13] });
 * await norm.adapt(xTrain); // a km.Tensor [samples, 13], or a km.data Dataset of batches
 * const model = km.sequential([norm, km.layers.dense({ units: 1 })]);
 * ```
 */
export class Normalization extends Layer {
  readonly className = 'Normalization';
  readonly axis = -1;
  readonly mean: number[] | null;
  readonly variance: number[] | null;
  readonly #where: string;
  #features = 0;
  #perSample = 0;
  #ready: boolean;

  constructor(args: NormalizationArgs = {}) {
    super(args, 'Normalization');
    this.#where = `Normalization layer '${this.name}'`;
    if (args.axis !== undefined && args.axis !== -1) {
      throw new Error(`${this.#where} normalizes along the last axis only. Received: axis=${JSON.stringify(args.axis)}. Use axis: -1, with the features last (reorder them with km.layers.permute).`);
    }
    if (args.invert !== undefined && args.invert !== false) {
      throw new Error(`${this.#where}: invert is not supported. Received: invert=${JSON.stringify(args.invert)}. Remove it (or set it to false).`);
    }
    this.mean = statistic(args.mean, 'mean', this.#where);
    this.variance = statistic(args.variance, 'variance', this.#where);
    if ((this.mean === null) !== (this.variance === null)) {
      throw new Error(`${this.#where} was given ${this.mean ? 'mean' : 'variance'} without ${this.mean ? 'variance' : 'mean'}. Give both, or neither and call adapt(data).`);
    }
    this.#ready = this.mean !== null;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    this.#features = shape[shape.length - 1];
    this.#perSample = shape.reduce((a, b) => a * b, 1);
    for (const [name, values] of [['mean', this.mean], ['variance', this.variance]] as const) {
      if (values && values.length !== 1 && values.length !== this.#features) {
        throw new Error(`${this.#where} was given ${values.length} ${name} values for inputs of shape ${formatShape(shape)}, whose last axis has ${this.#features} features. Give one value per feature, or one for all.`);
      }
    }
    this.addWeight('mean', [this.#features], filled(this.mean ?? [0]), false);
    this.addWeight('variance', [this.#features], filled(this.variance ?? [1]), false);
    this.addWeight('count', [], filled([0]), false);
  }

  /**
   * Sets the mean and variance of each feature from `data`: a km.Tensor of samples (features on the
   * last axis) or a km.data Dataset of such batches (or of `{ xs }`). Builds the layer from the
   * data's shape when it is not built yet. Statistics are computed in float64 over all of the data.
   *
   * @example
   * ```ts
   * await norm.adapt(km.data.array(rows).batch(256));
   * ```
   */
  async adapt(data: Tensor | AsyncIterable<unknown>): Promise<void> {
    if (this.mean !== null) {
      throw new Error(`${this.#where} was given a fixed mean and variance, so adapt has nothing to learn. Create it without mean and variance to adapt it on data.`);
    }
    let moments: FeatureMoments | null = null;
    for await (const batch of adaptBatches(data, this.#where)) {
      if (batch.shape.length < 2) {
        throw new Error(`${this.#where}: adapt takes batches of samples, shape [samples, ...features], but received shape [${batch.shape.join(', ')}]. Add a features axis, e.g. reshape to [${batch.shape[0] ?? 0}, 1].`);
      }
      this.ensureBuilt([batch.shape.slice(1)]);
      moments ??= new FeatureMoments(this.#features);
      moments.add(batch.dataSync(), this.#where);
    }
    if (!moments || moments.count === 0) throw new Error(`${this.#where}: adapt received no samples. Pass data with at least one sample.`);
    const f = this.#features;
    writeLayerWeights(this, [new Tensor(Float32Array.from(moments.mean), [f], 'float32'), new Tensor(Float32Array.from(moments.variance()), [f], 'float32'), new Tensor(Float32Array.of(moments.count), [], 'float32')]);
    this.#ready = true;
  }

  /** Setting the statistics directly counts as adapting. */
  override setWeights(weights: readonly Tensor[]): void {
    super.setWeights(weights);
    this.#ready = true;
  }

  /** @internal A layer loaded from a saved model gets its statistics from the file. */
  markLoaded(): this {
    this.#ready = true;
    return this;
  }

  // The variance clamped at MIN_VARIANCE, zeros (the mean of the gradient), and scratch for the kernel.
  override workspaceSize(): number {
    return 3 * this.#features;
  }

  #buffers(ctx: ForwardContext): [number, number, number] {
    const f = this.#features;
    return [ctx.backend.view(ctx.workspace, 0, f), ctx.backend.view(ctx.workspace, f, f), ctx.backend.view(ctx.workspace, 2 * f, f)];
  }

  forward(ctx: ForwardContext): void {
    if (!this.#ready) {
      throw new Error(`${this.#where} has no mean and variance yet. Call await layer.adapt(data) on training data before fit, evaluate or predict, or create it with mean and variance.`);
    }
    const f = this.#features;
    const [variance, , scratch] = this.#buffers(ctx);
    ctx.backend.copy(ctx.weights[1], variance, f);
    ctx.backend.clipByValue(variance, f, MIN_VARIANCE, Infinity);
    ctx.backend.batchNormInfer(ctx.inputs[0], ctx.output, 0, 0, ctx.weights[0], variance, scratch, this.#rows(ctx), f, 0);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const f = this.#features;
    const [variance, zeros, scratch] = this.#buffers(ctx);
    ctx.backend.fill(zeros, f, 0);
    ctx.backend.batchNormInfer(ctx.outputGrad, dx, 0, 0, zeros, variance, scratch, this.#rows(ctx), f, 0);
  }

  #rows(ctx: ForwardContext): number {
    return (ctx.batch * this.#perSample) / this.#features;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, mean: this.mean, variance: this.variance, invert: false };
  }
}

registerLayer('Normalization', (config) => new Normalization(config as NormalizationArgs).markLoaded());
