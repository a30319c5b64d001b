import type { BufferId } from '../backend/backend.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Random } from '../utils/random.js';
import { unitFactorRange, valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { LAYER } from './layer_options.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomErasing}, with Keras 3's defaults. */
export interface RandomErasingArgs extends RandomImageArgs {
  /**
   * Bounds of each image's erasing probability p, drawn per image (default 1, the range [0, 1]):
   * f in [0, 1] draws p in [0, f], [lower, upper] in that range; the patch is erased when a second
   * uniform draw falls below p.
   */
  factor?: number | readonly [number, number];
  /**
   * Bounds of the patch's size (default [0.02, 0.33]): its width and its height, as fractions of the
   * image's, are square roots of two draws from this range. f in [0, 1] stands for [0, f].
   */
  scale?: number | readonly [number, number];
  /**
   * What the patch is filled with: a number, [r, g, b] for 3-channel images, or null (default) for
   * noise, a standard normal draw per value times the top of `valueRange`; clipped to `valueRange`.
   */
  fillValue?: number | readonly [number, number, number] | null;
  /** [low, high] of the pixel values (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

const f32 = Math.fround;

/** The fill value as Keras takes it: null, a finite number, or three finite numbers. */
function fillValueOf(value: unknown, where: string): number | [number, number, number] | null {
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (value === null || value === undefined) return null;
  if (finite(value)) return value;
  if (Array.isArray(value) && value.length === 3 && value.every(finite)) return [value[0], value[1], value[2]];
  throw new Error(`${where}: fillValue must be a number, three numbers [r, g, b] or null (noise), e.g. fillValue: 0 or fillValue: [124, 116, 104]. Received: fillValue=${JSON.stringify(value)}.`);
}

/**
 * Keras 3's RandomErasing: while training, each image gets a rectangle of random size (width and
 * height each the square root of a `scale` draw, as fractions of the image's) at a random place,
 * and with a probability itself drawn from `factor`'s range the rectangle is replaced by
 * `fillValue` (or by noise), clipped to `valueRange`. Per image, the draws follow Keras' order: the
 * two sizes, the horizontal then vertical offsets, the probability, the threshold, then the noise.
 * Predict and evaluate pass images through. Gradients flow to the values left in place.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomErasing({ factor: 0.5, scale: [0.05, 0.2], fillValue: 0, valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomErasing extends RandomImageLayer {
  readonly className = 'RandomErasing';
  /** The probability range [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  /** The range of the patch's squared side fractions. */
  readonly scale: [number, number];
  readonly fillValue: number | [number, number, number] | null;
  readonly valueRange: [number, number];
  /** Per image: which values stay (1) or go (0), then what replaces those that go (0 elsewhere). */
  protected drawSize = 0;

  constructor(args: RandomErasingArgs = {}) {
    super(args, 'RandomErasing');
    const where = `RandomErasing layer '${this.name}'`;
    this.factor = unitFactorRange(args.factor ?? 1, 'factor', where);
    this.scale = unitFactorRange(args.scale ?? [0.02, 0.33], 'scale', where);
    this.fillValue = fillValueOf(args.fillValue, where);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    if (Array.isArray(this.fillValue) && this.image[2] !== 3) {
      throw new Error(`RandomErasing layer '${this.name}': fillValue [r, g, b] needs 3-channel images, but the input has ${this.image[2]} channels. Give one number as fillValue, or null for noise.`);
    }
    this.drawSize = 2 * this.#size();
  }

  #size(): number {
    return this.image.reduce((a, b) => a * b, 1);
  }

  // After the draws (keep and fill interleaved per image): every image's keep mask, then every image's fill.
  override workspaceSize(batch: number): number {
    return 2 * this.drawSize * batch;
  }

  /** A side of the patch: Keras' [start, end) from its length √scale·size, placed by a uniform draw, in float32. */
  #side(fraction: number, size: number, random: Random): [number, number] {
    const length = f32(fraction * size);
    const start = f32(f32(random.next()) * f32(size - length));
    return [start, f32(start + length)];
  }

  protected draw(random: Random): Float32Array {
    const [h, w, c] = this.image;
    const size = this.#size();
    const [lo, hi] = this.valueRange;
    const fx = f32(Math.sqrt(f32(random.uniform(...this.scale))));
    const fy = f32(Math.sqrt(f32(random.uniform(...this.scale))));
    const [x0, x1] = this.#side(fx, w, random);
    const [y0, y1] = this.#side(fy, h, random);
    const p = random.uniform(...this.factor);
    const erase = random.next() < p;
    const clip = (v: number) => Math.min(Math.max(v, lo), hi);
    const fill = this.fillValue;
    const noise = fill === null ? Array.from({ length: size }, () => random.normal() * hi) : null;
    const drawn = new Float32Array(2 * size).fill(1, 0, size);
    if (!erase) return drawn;
    for (let i = Math.max(0, Math.ceil(y0)); i < Math.min(h, y1); i++) {
      for (let j = Math.max(0, Math.ceil(x0)); j < Math.min(w, x1); j++) {
        for (let ch = 0; ch < c; ch++) {
          const at = (i * w + j) * c + ch;
          drawn[at] = 0;
          drawn[size + at] = clip(noise ? noise[at] : typeof fill === 'number' ? fill : fill![ch]);
        }
      }
    }
    return drawn;
  }

  #keep(ctx: ForwardContext): BufferId {
    return ctx.backend.view(ctx.workspace, this.drawSize * ctx.batch, this.#size() * ctx.batch);
  }

  // y = x·keep + fill, Keras' where() for finite images: keep is 0 or 1 and fill is 0 wherever keep is 1.
  protected applyDrawn(ctx: ForwardContext): void {
    const { backend, batch, workspace } = ctx;
    const size = this.#size();
    const keep = this.#keep(ctx);
    const fill = backend.view(workspace, this.drawSize * batch + size * batch, size * batch);
    backend.copyRows(workspace, 2 * size, keep, size, batch, size);
    backend.copyRows(backend.view(workspace, size, this.drawSize * batch - size), 2 * size, fill, size, batch, size);
    backend.mul(ctx.inputs[0], keep, ctx.output, size * batch);
    backend.add(ctx.output, fill, ctx.output, size * batch);
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.mul(ctx.outputGrad, this.#keep(ctx), dx, this.#size() * ctx.batch);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), factor: [...this.factor], scale: [...this.scale],
      fillValue: Array.isArray(this.fillValue) ? [...this.fillValue] : this.fillValue, valueRange: [...this.valueRange],
    };
  }
}

registerBuiltinLayer('RandomErasing', (config) => new RandomErasing(config as unknown as RandomErasingArgs));

const RANDOM_ERASING_OPTIONS = optionNames<RandomErasingArgs>({
  ...LAYER, factor: true, scale: true, fillValue: true, valueRange: true, seed: true, dataFormat: true,
});

/** Replaces a random rectangle of each image by a value or noise, with a probability drawn per image, while training, as Keras 3's RandomErasing. @example `km.layers.randomErasing({ factor: 0.5, fillValue: 0, valueRange: [0, 1] })` */
export function randomErasing(args?: RandomErasingArgs): RandomErasing {
  checkOptions(args, RANDOM_ERASING_OPTIONS, 'km.layers.randomErasing');
  return new RandomErasing(args);
}
