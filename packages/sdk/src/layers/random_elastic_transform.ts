import type { BufferId, ColorAdjustment, ResizeInterpolation } from '../backend/backend.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Random } from '../utils/random.js';
import { boundedFactorRange, valueRangeOf } from './color_options.js';
import { gaussian1d } from './gaussian_kernel.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { LAYER } from './layer_options.js';
import { MAP_FILL_MODES, mapCoordinateTaps, tapsPerPoint, type CoordinateTaps, type MapFillMode } from './map_coordinates.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomElasticTransform}, with Keras 3's defaults. */
export interface RandomElasticTransformArgs extends RandomImageArgs {
  /**
   * Bounds of each image's probability p of being distorted (default 1, the range [0, 1]): f in
   * [0, 1] draws p in [0, f], a [lower, upper] pair within [0, 1] in that range; an image is
   * distorted when a second uniform draw falls below its p.
   */
  factor?: number | readonly [number, number];
  /** Range of the distortion's strength d, drawn once per batch (default 1, the range [0, 1]): s in [0, 1] stands for [0, s]. */
  scale?: number | readonly [number, number];
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: ResizeInterpolation;
  /**
   * How pixels read from outside the image are filled (default 'reflect'), per tap as Keras'
   * map_coordinates: 'reflect' (d c b a | a b c d | d c b a), 'mirror' (d c b | a b c d | c b a),
   * 'wrap', 'nearest', or 'constant' (`fillValue`).
   */
  fillMode?: MapFillMode;
  /** What fillMode 'constant' fills with (default 0). */
  fillValue?: number;
  /** [low, high] of the pixel values: every image is clipped to it while training (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

const INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest'];

/**
 * One axis' displacement for a batch of height×width fields, as Keras' elastic_transform makes it:
 * standard normal noise times σ, blurred by the Gaussian of deviation σ over int(6σ) | 1 taps with
 * zeros beyond the edges (separably, which is Keras' 2-D kernel), times α. Float64, in place.
 */
function displacement(noise: Float64Array, height: number, width: number, sigma: number, alpha: number): Float64Array {
  const k = Math.floor(6 * sigma) | 1;
  const g = gaussian1d(k, sigma);
  const r = (k - 1) / 2;
  // Along rows (step 1 over `width` pixels) or down columns (step `width` over `height` rows).
  const blur = (src: Float64Array, step: number, length: number): Float64Array => src.map((_, i) => {
    const at = Math.floor(i / step) % length;
    let sum = 0;
    for (let t = Math.max(-r, -at); t <= Math.min(r, length - 1 - at); t++) sum += g[t + r] * src[i + t * step];
    return sum;
  });
  return blur(blur(noise.map((v) => v * sigma), 1, width), width, height).map((v) => v * alpha);
}

/**
 * Keras 3's RandomElasticTransform: while training, each image is distorted with probability p
 * (p drawn per image from `factor`'s range) by a smooth random displacement field: with d drawn
 * once per batch from `scale`'s range, α = max(h, w)·0.1·d and σ = min(h, w)·0.05·d, every pixel
 * (y, x) reads the image at (y + α·dy, x + α·dx), dx and dy normal noise times σ blurred by a
 * Gaussian of deviation σ, through Keras' map_coordinates (`interpolation`, `fillMode` per tap).
 * Then every image, distorted or not, is clipped to `valueRange`, as Keras clips. Predict and
 * evaluate pass images through, and so does training when `factor` or `scale` tops out at 0 (no
 * clip, as Keras). The gradient flows through the sampling and the clip.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomElasticTransform({ factor: [1, 1], scale: 0.5, valueRange: [0, 1], inputShape: [28, 28, 1] }),
 * ]);
 * ```
 */
export class RandomElasticTransform extends RandomImageLayer {
  readonly className = 'RandomElasticTransform';
  /** The range each image's probability of being distorted is drawn from, [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  /** The range the batch's distortion strength is drawn from, [lower, upper]. */
  readonly scale: [number, number];
  readonly interpolation: ResizeInterpolation;
  readonly fillMode: MapFillMode;
  readonly fillValue: number;
  readonly valueRange: [number, number];
  /** Per image: every pixel's tap indices (as floats, the embedding kernel's form), their weights and its fill weight. */
  protected drawSize = 0;

  constructor(args: RandomElasticTransformArgs = {}) {
    super(args, 'RandomElasticTransform');
    const where = `RandomElasticTransform layer '${this.name}'`;
    this.factor = boundedFactorRange(args.factor ?? 1, [0, 1], 'factor', where);
    this.scale = boundedFactorRange(args.scale ?? 1, [0, 1], 'scale', where);
    this.interpolation = args.interpolation ?? 'bilinear';
    if (!INTERPOLATIONS.includes(this.interpolation)) {
      throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest'. Received: interpolation=${JSON.stringify(args.interpolation)}.`);
    }
    this.fillMode = args.fillMode ?? 'reflect';
    if (!MAP_FILL_MODES.includes(this.fillMode)) {
      throw new Error(`${where}: fillMode must be one of ${MAP_FILL_MODES.map((m) => `'${m}'`).join(', ')}. Received: fillMode=${JSON.stringify(args.fillMode)}.`);
    }
    this.fillValue = args.fillValue ?? 0;
    if (typeof this.fillValue !== 'number' || !Number.isFinite(this.fillValue)) {
      throw new Error(`${where}: fillValue must be a finite number, what fillMode 'constant' fills with. Received: fillValue=${JSON.stringify(args.fillValue)}.`);
    }
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  get #taps(): number {
    return tapsPerPoint(this.interpolation);
  }

  #pixels(): number {
    return this.image[0] * this.image[1];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    this.drawSize = this.#pixels() * (2 * this.#taps + 1);
  }

  /** Keras draws nothing and passes images through, unclipped, when either range tops out at 0. */
  protected override draws(ctx: ForwardContext): boolean {
    return ctx.training && this.factor[1] > 0 && this.scale[1] > 0;
  }

  /**
   * Keras' draws in its order: every image's probability, every image's threshold, the batch's
   * strength, then the noise of dx over the whole batch and that of dy; returned as the taps of
   * every pixel (an image left alone reads its own pixels).
   */
  protected override drawBatch(random: Random, batch: number): Float32Array {
    const [h, w] = this.image;
    const pixels = this.#pixels();
    if (batch * pixels > 2 ** 24) {
      throw new Error(`RandomElasticTransform layer '${this.name}': a batch of ${batch} images of ${h}×${w} pixels has more pixels than the float32 tap indices address exactly (2^24). Use a smaller batch size.`);
    }
    const probability = Array.from({ length: batch }, () => random.uniform(...this.factor));
    const distorted = probability.map((p) => random.next() < p);
    const d = random.uniform(...this.scale);
    const noise = () => Float64Array.from({ length: batch * pixels }, () => random.normal());
    const [nx, ny] = [noise(), noise()];
    const [alpha, sigma] = [Math.max(h, w) * 0.1 * d, Math.min(h, w) * 0.05 * d];
    const [dx, dy] = sigma > 0 ? [displacement(nx, h, w, sigma, alpha), displacement(ny, h, w, sigma, alpha)] : [nx.fill(0), ny.fill(0)];
    const taps = this.#taps;
    const params = new Float32Array(this.drawSize * batch);
    const into: CoordinateTaps = {
      indices: params.subarray(0, batch * pixels * taps),
      weights: params.subarray(batch * pixels * taps, 2 * batch * pixels * taps),
      fillWeights: params.subarray(2 * batch * pixels * taps),
    };
    const ys = new Float64Array(pixels);
    const xs = new Float64Array(pixels);
    for (let b = 0; b < batch; b++) {
      for (let p = 0; p < pixels; p++) {
        const [y, x] = [Math.floor(p / w), p % w];
        ys[p] = distorted[b] ? y + dy[b * pixels + p] : y;
        xs[p] = distorted[b] ? x + dx[b * pixels + p] : x;
      }
      mapCoordinateTaps(ys, xs, h, w, this.interpolation, this.fillMode, into, b * pixels, b * pixels);
    }
    return params;
  }

  protected draw(random: Random): Float32Array {
    return this.drawBatch(random, 1);
  }

  #clip(batch: number): ColorAdjustment {
    return { batch, pixels: this.#pixels(), channels: this.image[2], lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  // After the draws: (1, 0) per image for the clip (adjustImages at contrast 1), a row of the fill
  // value, every tap's pixel, the sampled images before the clip and their gradient.
  override workspaceSize(batch: number): number {
    const [points, channels] = [batch * this.#pixels(), this.image[2]];
    return this.drawSize * batch + 2 * batch + channels + points * channels * (this.#taps + 2);
  }

  #parts(ctx: ForwardContext) {
    const { backend, batch, workspace } = ctx;
    const [points, channels, taps] = [batch * this.#pixels(), this.image[2], this.#taps];
    const at = this.drawSize * batch + 2 * batch + channels;
    return {
      indices: backend.view(workspace, 0, points * taps),
      weights: backend.view(workspace, points * taps, points * taps),
      fillWeights: backend.view(workspace, 2 * points * taps, points),
      clip: backend.view(workspace, this.drawSize * batch, 2 * batch),
      fillRow: backend.view(workspace, this.drawSize * batch + 2 * batch, channels),
      gathered: backend.view(workspace, at, points * taps * channels),
      sampled: backend.view(workspace, at + points * taps * channels, points * channels),
      dSampled: backend.view(workspace, at + points * (taps + 1) * channels, points * channels),
    };
  }

  // Each pixel is the weighted sum of the pixels its taps read: a gather (the embedding kernel, the
  // batch's pixels as the table) and a [1, taps]·[taps, channels] product per pixel, plus the fill
  // value by the weight of the taps outside the image.
  protected applyDrawn(ctx: ForwardContext): void {
    const { backend, batch } = ctx;
    const [points, channels, taps] = [batch * this.#pixels(), this.image[2], this.#taps];
    const { indices, weights, fillWeights, clip, fillRow, gathered, sampled } = this.#parts(ctx);
    backend.write(clip, Float32Array.from({ length: 2 * batch }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    backend.embeddingForward(indices, ctx.inputs[0], gathered, points * taps, channels, points);
    backend.batchMatMul(weights, gathered, sampled, points, 1, channels, taps, false, false, false);
    if (this.fillMode === 'constant' && this.fillValue !== 0) {
      backend.fill(fillRow, channels, this.fillValue);
      backend.matMul(fillWeights, fillRow, sampled, points, channels, 1, false, false, true);
    }
    backend.adjustImages(sampled, ctx.output, clip, this.#clip(batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const { backend, batch } = ctx;
    const [points, channels, taps] = [batch * this.#pixels(), this.image[2], this.#taps];
    const { indices, weights, clip, gathered, sampled, dSampled } = this.#parts(ctx);
    backend.adjustImagesGrad(sampled, ctx.outputGrad, dSampled, clip, this.#clip(batch));
    backend.batchMatMul(weights, dSampled, gathered, points, taps, channels, 1, true, false, false);
    backend.embeddingBackward(indices, gathered, dx, points * taps, channels, points);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: this.factor,
      scale: this.scale,
      interpolation: this.interpolation,
      fillMode: this.fillMode,
      fillValue: this.fillValue,
      valueRange: this.valueRange,
    };
  }
}

registerBuiltinLayer('RandomElasticTransform', (config) => new RandomElasticTransform(config as unknown as RandomElasticTransformArgs));

const RANDOM_ELASTIC_TRANSFORM_OPTIONS = optionNames<RandomElasticTransformArgs>({
  ...LAYER, factor: true, scale: true, interpolation: true, fillMode: true, fillValue: true, valueRange: true, seed: true, dataFormat: true,
});

/** Distorts each image, with probability drawn per image, by a smooth random displacement field while training, as Keras 3's RandomElasticTransform. @example `km.layers.randomElasticTransform({ factor: [1, 1], scale: 0.5, valueRange: [0, 1] })` */
export function randomElasticTransform(args?: RandomElasticTransformArgs): RandomElasticTransform {
  checkOptions(args, RANDOM_ELASTIC_TRANSFORM_OPTIONS, 'km.layers.randomElasticTransform');
  return new RandomElasticTransform(args);
}
