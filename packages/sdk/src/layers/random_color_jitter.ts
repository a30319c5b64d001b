import type { BufferId } from '../backend/backend.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Random } from '../utils/random.js';
import { valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { LAYER } from './layer_options.js';
import type { AugmentationFactor } from './random_affine.js';
import { RandomBrightness } from './random_brightness.js';
import { RandomContrast } from './random_contrast.js';
import { RandomHue } from './random_hue.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { RandomSaturation } from './random_saturation.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomColorJitter}, with Keras' defaults: each step runs only when its factor is given. */
export interface RandomColorJitterArgs extends RandomImageArgs {
  /** [low, high] of the pixel values (default [0, 255]), for every step. */
  valueRange?: readonly [number, number];
  /** RandomBrightness's factor: the shift as a fraction of the value range, f for [−f, f] or [lower, upper] in [−1, 1]. */
  brightnessFactor?: AugmentationFactor | null;
  /** RandomContrast's factor: f in [0, 1] draws the contrast in [1 − f, 1 + f], [lower, upper] in [1 − lower, 1 + upper]. */
  contrastFactor?: AugmentationFactor | null;
  /** RandomSaturation's factor (RGB images only), read as that layer reads it: f in [−1, 1] for [−|f|, |f|], or [lower, upper]; 0.5 keeps the saturation. */
  saturationFactor?: number | readonly [number, number] | null;
  /** RandomHue's factor (RGB images only): f in [0, 1] for [0, f], or [lower, upper]; the hue turns by up to ±f/2. */
  hueFactor?: number | readonly [number, number] | null;
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

type Range = [number, number];

/** Each step's option and layer, in Keras' order. */
const STEPS = [
  ['brightnessFactor', (factor: unknown, valueRange: Range, name: string) => new RandomBrightness({ factor: factor as AugmentationFactor, valueRange, name })],
  ['contrastFactor', (factor: unknown, valueRange: Range, name: string) => new RandomContrast({ factor: factor as AugmentationFactor, valueRange, name })],
  ['saturationFactor', (factor: unknown, valueRange: Range, name: string) => new RandomSaturation({ factor: factor as Range, valueRange, name })],
  ['hueFactor', (factor: unknown, valueRange: Range, name: string) => new RandomHue({ factor: factor as Range, valueRange, name })],
] as const;

/**
 * Keras 3's RandomColorJitter: while training, Keras' RandomBrightness, RandomContrast,
 * RandomSaturation and RandomHue run in that order, each only when its factor is given and each
 * with its own layer's draws and kernels; predict and evaluate pass images through. All steps draw
 * from this layer's one generator, a step's whole batch after the step before it, as Keras draws,
 * so a jitter with one factor gives what that layer alone gives with the same seed. Gradients flow
 * through brightness and contrast; saturation and hue pass none (0), as those layers do.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomColorJitter({ valueRange: [0, 1], brightnessFactor: 0.2, contrastFactor: 0.2, hueFactor: 0.1, seed: 1, inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomColorJitter extends RandomImageLayer {
  readonly className = 'RandomColorJitter';
  readonly valueRange: [number, number];
  readonly brightnessFactor: AugmentationFactor | null;
  readonly contrastFactor: AugmentationFactor | null;
  readonly saturationFactor: number | readonly [number, number] | null;
  readonly hueFactor: number | readonly [number, number] | null;
  /** The steps that run, in Keras' order. */
  readonly #steps: RandomImageLayer[] = [];
  /** Unused: the steps draw, in {@link drawBatch}. */
  protected readonly drawSize = 0;

  constructor(args: RandomColorJitterArgs = {}) {
    super(args, 'RandomColorJitter');
    const where = `RandomColorJitter layer '${this.name}'`;
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
    this.brightnessFactor = args.brightnessFactor ?? null;
    this.contrastFactor = args.contrastFactor ?? null;
    this.saturationFactor = args.saturationFactor ?? null;
    this.hueFactor = args.hueFactor ?? null;
    for (const [option, make] of STEPS) {
      const factor = this[option];
      if (factor === null) continue;
      try {
        this.#steps.push(make(factor, this.valueRange, `${this.name}/${option.replace('Factor', '')}`));
      } catch (error) {
        throw new Error(`${where}: ${option}=${JSON.stringify(factor)} is the factor of its ${option.replace('Factor', '')} step, which refuses it: ${(error as Error).message}`);
      }
    }
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    const hsv = STEPS.slice(2).map(([option]) => option).filter((option) => this[option] !== null);
    if (hsv.length > 0 && this.image[2] !== 3) {
      const [work, they] = hsv.length > 1 ? ['work', 'they need'] : ['works', 'it needs'];
      throw new Error(`${this.className} layer '${this.name}': ${hsv.join(' and ')} ${work} in HSV, so ${they} RGB images of 3 channels, as Keras' rgb_to_hsv does. Received: images of ${this.image[2]} channel(s), shape (None, ${this.image.join(', ')}). Give it RGB images (None, height, width, 3), or leave ${hsv.join(' and ')} out.`);
    }
    for (const step of this.#steps) step.ensureBuilt(inputShapes);
  }

  /** Floats of one batch's images. */
  #size(batch: number): number {
    return batch * this.image[0] * this.image[1] * this.image[2];
  }

  #drawnSize(batch: number): number {
    return this.#steps.reduce((sum, step) => sum + step.workspaceSize(batch), 0);
  }

  /** The workspace: every step's draws, then the images between steps, then a gradient between steps. */
  override workspaceSize(batch: number): number {
    const between = Math.max(this.#steps.length - 1, 0);
    return this.#drawnSize(batch) + (between > 0 ? (between + 1) * this.#size(batch) : 0);
  }

  protected override draws(ctx: ForwardContext): boolean {
    return ctx.training && this.#steps.length > 0;
  }

  protected override drawBatch(random: Random, batch: number): Float32Array {
    const params = new Float32Array(this.#drawnSize(batch));
    let at = 0;
    for (const step of this.#steps) {
      const drawn = step.drawStep(random, batch);
      params.set(drawn, at);
      at += drawn.length;
    }
    return params;
  }

  protected draw(): number[] {
    return [];
  }

  /** Step i's context: its draws as the workspace, reading `input`, writing `output`. */
  #stepContext<T extends ForwardContext>(ctx: T, i: number, input: BufferId, output: BufferId): T {
    const at = this.#steps.slice(0, i).reduce((sum, step) => sum + step.workspaceSize(ctx.batch), 0);
    const workspace = ctx.backend.view(ctx.workspace, at, this.#steps[i].workspaceSize(ctx.batch));
    return { ...ctx, inputs: [input], output, outputs: [output], workspace };
  }

  /** The image buffer after step i (i below the last step), or the gradient scratch (i = steps − 1). */
  #between(ctx: ForwardContext, i: number): BufferId {
    const size = this.#size(ctx.batch);
    return ctx.backend.view(ctx.workspace, this.#drawnSize(ctx.batch) + i * size, size);
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const last = this.#steps.length - 1;
    let input = ctx.inputs[0];
    this.#steps.forEach((step, i) => {
      const output = i === last ? ctx.output : this.#between(ctx, i);
      step.applyStep(this.#stepContext(ctx, i, input, output));
      input = output;
    });
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const last = this.#steps.length - 1;
    const scratch = this.#between(ctx, last);
    let dy = ctx.outputGrad;
    for (let i = last; i >= 0; i--) {
      // Between steps the gradient alternates between the scratch and outputGrad (the layer's to overwrite).
      const into = i === 0 ? dx : (last - i) % 2 === 0 ? scratch : ctx.outputGrad;
      const input = i === 0 ? ctx.inputs[0] : this.#between(ctx, i - 1);
      this.#steps[i].applyStepGrad({ ...this.#stepContext(ctx, i, input, ctx.output), outputGrad: dy, outputGrads: [dy] }, into);
      dy = into;
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: this.valueRange,
      brightnessFactor: this.brightnessFactor,
      contrastFactor: this.contrastFactor,
      saturationFactor: this.saturationFactor,
      hueFactor: this.hueFactor,
    };
  }
}

registerBuiltinLayer('RandomColorJitter', (config) => new RandomColorJitter(config as unknown as RandomColorJitterArgs));

const RANDOM_COLOR_JITTER_OPTIONS = optionNames<RandomColorJitterArgs>({
  ...LAYER, valueRange: true, brightnessFactor: true, contrastFactor: true, saturationFactor: true, hueFactor: true, seed: true, dataFormat: true,
});

/** Runs RandomBrightness, RandomContrast, RandomSaturation and RandomHue in turn, each when its factor is given, while training, as Keras 3's RandomColorJitter. @example `km.layers.randomColorJitter({ valueRange: [0, 1], brightnessFactor: 0.2, hueFactor: 0.1 })` */
export function randomColorJitter(args?: RandomColorJitterArgs): RandomColorJitter {
  checkOptions(args, RANDOM_COLOR_JITTER_OPTIONS, 'km.layers.randomColorJitter');
  return new RandomColorJitter(args);
}
