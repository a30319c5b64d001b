import type { BufferId } from '../backend/backend.js';
import type { Initializer } from '../initializers/initializers.js';
import { writeLayerWeights } from '../engine/weight_homes.js';
import { Tensor } from '../tensor.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { adaptBatches, type AdaptData, FeatureMoments } from './normalization_statistics.js';
import { asFeatureRows, checkAxisOption, featureLayout, type FeatureLayout, type NormalizationAxis } from './normalization_axes.js';
import { checkOptions } from '../utils/options.js';
import { NORMALIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link Normalization}, with Keras' defaults. */
export interface NormalizationArgs extends LayerArgs {
  /**
   * The axes that keep their own statistics (Keras' axis): -1 (default) gives each feature on the last
   * axis its mean and variance; [1, 2] one per entry of those axes, averaged over the others; null
   * one mean and variance for everything. Axes count the batch as 0, which cannot be kept.
   */
  axis?: NormalizationAxis;
  /** Fixed means (one for all, or one per kept entry, flattened) instead of adapting; give variance with it. */
  mean?: number | readonly number[] | null;
  /** Fixed variances, with mean. */
  variance?: number | readonly number[] | null;
  /** Map normalized values back instead: y = mean + x·√variance (default false). */
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
 * mean and variance given, or learned from data by `adapt`; `axis` says which axes keep their own
 * statistics, and `invert: true` maps standardized values back (y = mean + x·√variance). The
 * statistics are non-trainable weights of the kept axes' shape (`mean`, `variance` and the `count`
 * of values adapted on per statistic), so a saved model keeps them. The gradient to its input is
 * dy/√variance (dy·√variance inverted), so a layer before it still trains.
 *
 * @example
 * ```ts
 * const norm = km.layers.normalization({ inputShape: [13] });
 * await norm.adapt(xTrain); // a km.Tensor [samples, 13], or a km.data Dataset of batches
 * const model = km.sequential([norm, km.layers.dense({ units: 1 })]);
 * // One mean and variance per row of [rows, columns] samples, and the inverse of a target scaling:
 * const perRow = km.layers.normalization({ axis: 1 });
 * const unscale = km.layers.normalization({ mean: 50, variance: 100, invert: true });
 * ```
 */
export class Normalization extends Layer {
  readonly className = 'Normalization';
  readonly axis: NormalizationAxis;
  readonly invert: boolean;
  readonly mean: number[] | null;
  readonly variance: number[] | null;
  readonly #where: string;
  #layout: FeatureLayout | null = null;
  #perSample = 0;
  #ready: boolean;

  constructor(args: NormalizationArgs = {}) {
    super(args, 'Normalization');
    this.#where = `Normalization layer '${this.name}'`;
    this.axis = checkAxisOption(args.axis, this.#where);
    this.invert = args.invert ?? false;
    if (typeof this.invert !== 'boolean') {
      throw new Error(`${this.#where}: invert must be true or false. Received: invert=${JSON.stringify(args.invert)}.`);
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
    const layout = (this.#layout = featureLayout(this.axis, shape, this.#where));
    this.#perSample = shape.reduce((a, b) => a * b, 1);
    for (const [name, values] of [['mean', this.mean], ['variance', this.variance]] as const) {
      if (values && values.length !== 1 && values.length !== layout.features) {
        throw new Error(`${this.#where} was given ${values.length} ${name} values for inputs of shape ${formatShape(shape)}, whose kept axes (axis=${JSON.stringify(this.axis)}) hold ${layout.features} features. Give one value per feature, or one for all.`);
      }
    }
    this.addWeight('mean', layout.keptShape, filled(this.mean ?? [0]), false);
    this.addWeight('variance', layout.keptShape, filled(this.variance ?? [1]), false);
    this.addWeight('count', [], filled([0]), false);
  }

  /**
   * Sets the mean and variance of each feature from `data`: a km.Tensor of samples (features on the
   * last axis), the same as plain arrays (`[[63, 145], [67, 160]]`: one row a sample, as Keras'
   * adapt takes a list; read as `km.tensor(data)`, so as float32), or a km.data Dataset of such
   * batches (or of `{ xs }`). Builds the layer from the data's shape when it is not built yet.
   * Statistics are computed in float64 over all of the data.
   *
   * @example
   * ```ts
   * await norm.adapt(km.data.array(rows).batch(256));
   * await km.layers.normalization().adapt(rows.map((r) => [r.age, r.chol])); // plain arrays
   * ```
   */
  async adapt(data: AdaptData): Promise<void> {
    if (this.mean !== null) {
      throw new Error(`${this.#where} was given a fixed mean and variance, so adapt has nothing to learn. Create it without mean and variance to adapt it on data.`);
    }
    let moments: FeatureMoments | null = null;
    for await (const batch of adaptBatches(data, this.#where)) {
      if (batch.shape.length < 2) {
        throw new Error(`${this.#where}: adapt takes batches of samples, shape [samples, ...features], but received shape [${batch.shape.join(', ')}]. Add a features axis, e.g. reshape to [${batch.shape[0] ?? 0}, 1].`);
      }
      this.ensureBuilt([batch.shape.slice(1)]);
      const layout = this.#layout!;
      moments ??= new FeatureMoments(layout.features);
      moments.add(asFeatureRows(batch.dataSync(), layout), this.#where);
    }
    if (!moments || moments.count === 0) throw new Error(`${this.#where}: adapt received no samples. Pass data with at least one sample.`);
    const kept = this.#layout!.keptShape;
    writeLayerWeights(this, [new Tensor(Float32Array.from(moments.mean), kept, 'float32'), new Tensor(Float32Array.from(moments.variance()), kept, 'float32'), new Tensor(Float32Array.of(moments.count), [], 'float32')]);
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

  // Per column (a feature, or with other axes kept each entry of a sample): the mean, the variance
  // clamped at MIN_VARIANCE, zeros, ones, √variance (invert), kernel scratch; then each entry's feature index.
  override workspaceSize(): number {
    return 6 * this.#columns() + (this.#layout!.lastAxisOnly ? 0 : this.#perSample);
  }

  #columns(): number {
    return this.#layout!.lastAxisOnly ? this.#layout!.features : this.#perSample;
  }

  #buffers(ctx: ForwardContext): BufferId[] {
    const c = this.#columns();
    return Array.from({ length: 7 }, (_, k) => ctx.backend.view(ctx.workspace, k * c, k < 6 ? c : this.#perSample));
  }

  forward(ctx: ForwardContext): void {
    if (!this.#ready) {
      throw new Error(`${this.#where} has no mean and variance yet. Call await layer.adapt(data) on training data before fit, evaluate or predict, or create it with mean and variance.`);
    }
    const b = ctx.backend;
    const layout = this.#layout!;
    const c = this.#columns();
    const [mean, variance, zeros, ones, std, scratch, featureOf] = this.#buffers(ctx);
    if (layout.lastAxisOnly) {
      b.copy(ctx.weights[0], mean, c);
      b.copy(ctx.weights[1], variance, c);
    } else {
      // Spread the statistics over a sample's entries: a gather of width 1 from the weights.
      b.write(featureOf, Float32Array.from(layout.featureOf));
      b.embeddingForward(featureOf, ctx.weights[0], mean, c, 1, layout.features);
      b.embeddingForward(featureOf, ctx.weights[1], variance, c, 1, layout.features);
    }
    b.clipByValue(variance, c, MIN_VARIANCE, Infinity);
    b.fill(zeros, c, 0);
    b.fill(ones, c, 1);
    if (!this.invert) {
      b.batchNormInfer(ctx.inputs[0], ctx.output, 0, 0, mean, variance, scratch, this.#rows(ctx), c, 0);
      return;
    }
    // √variance as variance · (1/√variance), then y = √variance·x + mean.
    b.batchNormInfer(ones, std, 0, 0, zeros, variance, scratch, 1, c, 0);
    b.mul(std, variance, std, c);
    b.batchNormInfer(ctx.inputs[0], ctx.output, std, mean, zeros, ones, scratch, this.#rows(ctx), c, 0);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const [, variance, zeros, ones, std, scratch] = this.#buffers(ctx);
    const c = this.#columns();
    if (this.invert) ctx.backend.batchNormInfer(ctx.outputGrad, dx, std, 0, zeros, ones, scratch, this.#rows(ctx), c, 0);
    else ctx.backend.batchNormInfer(ctx.outputGrad, dx, 0, 0, zeros, variance, scratch, this.#rows(ctx), c, 0);
  }

  #rows(ctx: ForwardContext): number {
    return (ctx.batch * this.#perSample) / this.#columns();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, mean: this.mean, variance: this.variance, invert: this.invert };
  }
}

registerBuiltinLayer('Normalization', (config) => new Normalization(config as NormalizationArgs).markLoaded());

/** Standardizes each feature with a mean and variance given or adapted from data. @example `await km.layers.normalization().adapt(x)` */
export function normalization(args?: NormalizationArgs): Normalization {
  checkOptions(args, NORMALIZATION_OPTIONS, 'km.layers.normalization');
  return new Normalization(args);
}
