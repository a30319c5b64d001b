import type { SymbolicTensor } from '../engine/symbolic.js';
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import { Tensor } from '../tensor.js';
import { checkOptions } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { checkRequiredOptions, LAYER } from './layer_options.js';
import { LayerRandom } from './layer_random.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomWidth}: tfjs-layers 4.22's. */
export interface RandomWidthArgs extends LayerArgs {
  /**
   * The range of the width change: f > 0 scales by a factor drawn from [1 − f, 1 + f]; `[lower, upper]`
   * (each ≥ −1) by one from [1 + lower, 1 + upper], so `[0.5, 0.5]` always widens by half.
   */
  factor: number | [number, number];
  /** 'bilinear' (default) or 'nearest', sampled as tfjs' `tf.image.resizeBilinear` / `resizeNearestNeighbor` (no half-pixel centres). */
  interpolation?: 'bilinear' | 'nearest';
  /** Seed of the layer's draws; by default they come from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
}

const INTERPOLATIONS = ['bilinear', 'nearest'] as const;

/**
 * tfjs-layers' RandomWidth preprocessing layer: resizes a batch of `[height, width, channels]`
 * images (or one image) to a width scaled by a factor drawn per call, keeping the height. Its output
 * shape changes from call to call, which no kerasm model can hold (every model is planned for fixed
 * shapes), so it runs on data only: `layer.apply(images)`, before the images reach a model, e.g. in
 * a `km.data` map. In a model it is an error that says so; `km.layers.resizing` gives a fixed size.
 *
 * Like tfjs' layer, `apply(images)` resizes; unlike it, `apply(images, { training: false })` passes
 * the images through, as Keras' augmentation layers do at inference (tfjs resizes in both modes).
 * Sampling is tfjs' (source column j·width/newWidth), on the host, so each call reads the images.
 *
 * @example
 * ```ts
 * const widen = km.layers.randomWidth({ factor: [0, 0.5], seed: 1 });
 * const wider = widen.apply(images); // [batch, height, between width and 1.5·width, channels]
 * ```
 */
export class RandomWidth extends Layer {
  readonly className = 'RandomWidth';
  readonly factor: number | [number, number];
  readonly interpolation: 'bilinear' | 'nearest';
  readonly seed: number | undefined;
  readonly #lower: number;
  readonly #upper: number;
  readonly #random: LayerRandom;

  constructor(args: RandomWidthArgs) {
    super(args, 'RandomWidth');
    const where = `RandomWidth layer '${this.name}'`;
    const factor = args.factor;
    if (Array.isArray(factor) && factor.length === 2 && factor.every((f) => typeof f === 'number' && Number.isFinite(f))) {
      [this.#lower, this.#upper] = factor;
    } else if (typeof factor === 'number' && factor > 0 && Number.isFinite(factor)) {
      [this.#lower, this.#upper] = [-factor, factor];
    } else {
      throw new Error(`${where}: factor must be a number > 0 or a pair [lower, upper]. Received: factor=${JSON.stringify(factor)}. For example factor: 0.2 scales widths by 0.8 to 1.2.`);
    }
    if (this.#lower < -1 || this.#upper < -1) {
      throw new Error(`${where}: factor values must be ≥ −1 (a width scaled by 1 + value). Received: factor=${JSON.stringify(factor)}.`);
    }
    if (this.#upper < this.#lower) {
      throw new Error(`${where}: factor's upper bound must not be below its lower bound. Received: factor=${JSON.stringify(factor)}. Write it as [lower, upper].`);
    }
    this.factor = Array.isArray(factor) ? [factor[0], factor[1]] : factor;
    const interpolation = args.interpolation ?? 'bilinear';
    if (!INTERPOLATIONS.includes(interpolation)) {
      throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest' (tfjs implements no other). Received: interpolation=${JSON.stringify(args.interpolation)}.`);
    }
    this.interpolation = interpolation;
    this.#random = new LayerRandom(args.seed, where, this);
    this.seed = this.#random.seed;
  }

  /** In a model: refused, since the output width is only known once a factor is drawn. */
  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    throw new Error(
      `RandomWidth layer '${this.name}' cannot be part of a model: it draws a new output width at every call (tfjs' output shape is [height, -1, channels]), ` +
        `and kerasm plans each model for fixed shapes (input [${inputShapes[0]?.join(', ') ?? ''}]). Apply it to the data before the model instead: ` +
        'layer.apply(images) on a km.Tensor [batch, height, width, channels], e.g. inside a km.data map; for a fixed size inside the model, use km.layers.resizing({ height, width }).',
    );
  }

  forward(_ctx: ForwardContext): void {
    throw new Error(`RandomWidth layer '${this.name}' runs on data only (layer.apply(images)).`);
  }

  backward(_ctx: BackwardContext): void {
    throw new Error(`RandomWidth layer '${this.name}' has no gradient: it runs on data only.`);
  }

  /** Symbolic inputs: refused (see {@link computeOutputShape}). */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor;
  /**
   * Resizes `images` ([batch, height, width, channels] or [height, width, channels]) to a width
   * drawn now; `{ training: false }` passes them through.
   */
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>;
  override apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: LayerApplyArgs): SymbolicTensor | Tensor<'float32'> {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (!list.some((x) => x instanceof Tensor)) return super.apply(inputs as SymbolicTensor, options);
    const where = `RandomWidth layer '${this.name}'.apply`;
    checkOptions(options, ['training'], where);
    if (list.length !== 1 || !(list[0] instanceof Tensor)) throw new Error(`${where} takes one km.Tensor of images. Received ${list.length} inputs.`);
    const images = list[0];
    if (images.rank !== 3 && images.rank !== 4) {
      throw new Error(`${where}: images must be [batch, height, width, channels] or one image [height, width, channels]. Received shape [${images.shape.join(', ')}].`);
    }
    const training = options?.training ?? true;
    if (typeof training !== 'boolean') throw new Error(`${where}: training must be true or false. Received: training=${JSON.stringify(training)}.`);
    const values = Float32Array.from(images.dataSync());
    if (!training) return new Tensor(values, images.shape, 'float32');
    const width = images.shape[images.rank - 2];
    // tfjs draws one float32 factor per call and rounds factor·width half up.
    const drawn = Math.fround(this.#random.generator.uniform(1 + this.#lower, 1 + this.#upper));
    const newWidth = Math.round(drawn * width);
    if (newWidth < 1) {
      const [lower, upper] = widthKeepingFactor(width, this.#upper);
      throw new Error(`${where}: the drawn factor ${drawn} makes the width ${width} round to 0. Raise factor's lower bound above −1 + 0.5/width, e.g. factor: [${lower}, ${upper}].`);
    }
    const shape = [...images.shape];
    shape[images.rank - 2] = newWidth;
    return new Tensor(resizeWidth(values, images.shape[images.rank - 1], width, newWidth, this.interpolation), shape, 'float32');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, interpolation: this.interpolation, seed: this.seed ?? null };
  }
}

/**
 * A factor `[lower, upper]` whose every draw keeps `width` at least 1 pixel: lower the nearest
 * hundredth strictly above −1 + 0.5/width, upper the given one raised to it where it is below.
 */
function widthKeepingFactor(width: number, upper: number): [number, number] {
  const lower = Number((-1 + Math.floor((0.5 / width) * 100) / 100 + 0.01).toFixed(2));
  return [lower, Math.max(lower, upper)];
}

/**
 * Resizes every row of `values` (rows of `width` pixels of `channels`) to `newWidth` pixels as tfjs'
 * cpu resizeBilinear / resizeNearestNeighbor without half-pixel centres do: output column j samples
 * column j·width/newWidth. The height is unchanged, so each output row reads its own input row.
 */
function resizeWidth(values: Float32Array, channels: number, width: number, newWidth: number, interpolation: 'bilinear' | 'nearest'): Float32Array {
  const rows = values.length / (width * channels);
  const out = new Float32Array(rows * newWidth * channels);
  const scale = width / newWidth;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * width * channels;
    for (let j = 0; j < newWidth; j++) {
      const source = scale * j;
      if (interpolation === 'nearest') {
        const at = row + Math.min(width - 1, Math.floor(source)) * channels;
        for (let c = 0; c < channels; c++) out[o++] = values[at + c];
        continue;
      }
      const left = Math.max(0, Math.floor(source));
      const frac = source - left;
      const right = Math.min(width - 1, Math.ceil(source));
      for (let c = 0; c < channels; c++) {
        const a = values[row + left * channels + c];
        out[o++] = a + (values[row + right * channels + c] - a) * frac;
      }
    }
  }
  return out;
}

const RANDOM_WIDTH_OPTIONS = [...Object.keys(LAYER), 'factor', 'interpolation', 'seed'];

/**
 * tfjs' RandomWidth: resizes images to a random width per call, on data only (`layer.apply(images)`).
 * @example `const wider = km.layers.randomWidth({ factor: [0, 0.5] }).apply(images)`
 */
export function randomWidth(args: RandomWidthArgs): RandomWidth {
  checkRequiredOptions(args, RANDOM_WIDTH_OPTIONS, 'km.layers.randomWidth');
  return new RandomWidth(args);
}

registerBuiltinLayer('RandomWidth', (config) => new RandomWidth(config as unknown as RandomWidthArgs));
