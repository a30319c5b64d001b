import type { SymbolicTensor } from '../engine/symbolic.js';
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import { resizeBilinear, resizeNearestNeighbor } from '../ops/image/resize.js';
import { Tensor } from '../tensor.js';
import { checkOptions } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { LAYER } from './layer_options.js';
import { LayerRandom } from './layer_random.js';

/** The image axis a {@link RandomAxisResize} layer resizes: RandomHeight's or RandomWidth's. */
export type ResizedAxis = 'height' | 'width';

/** Options of RandomHeight and RandomWidth (tfjs-layers 4.22's RandomWidth, Keras' RandomHeight). */
export interface RandomAxisResizeArgs extends LayerArgs {
  /**
   * The range of the change of the resized axis (the height for RandomHeight, the width for
   * RandomWidth): f > 0 scales it by a factor drawn from [1 − f, 1 + f]; `[lower, upper]` (each ≥ −1)
   * by one from [1 + lower, 1 + upper], so `[0.5, 0.5]` always lengthens it by half.
   */
  factor: number | [number, number];
  /** 'bilinear' (default) or 'nearest', sampled as tfjs' `tf.image.resizeBilinear` / `resizeNearestNeighbor` (no half-pixel centres). */
  interpolation?: 'bilinear' | 'nearest';
  /** Seed of the layer's draws; by default they come from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
}

/** The km.layers factory options of RandomHeight and RandomWidth. */
export const RANDOM_AXIS_RESIZE_OPTIONS = [...Object.keys(LAYER), 'factor', 'interpolation', 'seed'];

const INTERPOLATIONS = ['bilinear', 'nearest'] as const;

/**
 * RandomHeight and RandomWidth: resize a batch of `[height, width, channels]` images (or one image)
 * along one axis by a factor drawn per call, keeping the other. The output shape changes from call
 * to call, which no kerasm model can hold (every model is planned for fixed shapes), so these layers
 * run on data only: `layer.apply(images)`, before the images reach a model, e.g. in a `km.data` map.
 * In a model they are an error that says so; `km.layers.resizing` gives a fixed size.
 *
 * `apply(images)` resizes; `apply(images, { training: false })` passes the images through, as Keras'
 * augmentation layers do at inference (tfjs' RandomWidth resizes in both modes). The draw and the
 * sampling are tfjs RandomWidth's on either axis: one float32 factor per call, the new size
 * factor·size rounded half up, and `km.image.resizeBilinear` / `resizeNearestNeighbor` without
 * half-pixel centres (source index i·size/newSize), on the host, so each call reads the images.
 */
export abstract class RandomAxisResize extends Layer {
  readonly factor: number | [number, number];
  readonly interpolation: 'bilinear' | 'nearest';
  readonly seed: number | undefined;
  readonly #axis: ResizedAxis;
  /** The layer as errors name it: "RandomWidth layer 'random_width_1'". */
  readonly #where: string;
  readonly #lower: number;
  readonly #upper: number;
  readonly #random: LayerRandom;

  constructor(args: RandomAxisResizeArgs, className: string, axis: ResizedAxis) {
    super(args, className);
    this.#axis = axis;
    // Not this.className: a subclass's field is only set once this constructor returns.
    const where = `${className} layer '${this.name}'`;
    this.#where = where;
    const factor = args.factor;
    if (Array.isArray(factor) && factor.length === 2 && factor.every((f) => typeof f === 'number' && Number.isFinite(f))) {
      [this.#lower, this.#upper] = factor;
    } else if (typeof factor === 'number' && factor > 0 && Number.isFinite(factor)) {
      [this.#lower, this.#upper] = [-factor, factor];
    } else {
      throw new Error(`${where}: factor must be a number > 0 or a pair [lower, upper]. Received: factor=${JSON.stringify(factor)}. For example factor: 0.2 scales ${axis}s by 0.8 to 1.2.`);
    }
    if (this.#lower < -1 || this.#upper < -1) {
      throw new Error(`${where}: factor values must be ≥ −1 (a ${axis} scaled by 1 + value). Received: factor=${JSON.stringify(factor)}.`);
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

  /** In a model: refused, since the output size along the axis is only known once a factor is drawn. */
  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = this.#axis === 'height' ? '[-1, width, channels]' : '[height, -1, channels]';
    throw new Error(
      `${this.#where} cannot be part of a model: it draws a new output ${this.#axis} at every call (its output shape is ${shape}), ` +
        `and kerasm plans each model for fixed shapes (input [${inputShapes[0]?.join(', ') ?? ''}]). Apply it to the data before the model instead: ` +
        'layer.apply(images) on a km.Tensor [batch, height, width, channels], e.g. inside a km.data map; for a fixed size inside the model, use km.layers.resizing({ height, width }).',
    );
  }

  forward(_ctx: ForwardContext): void {
    throw new Error(`${this.#where} runs on data only (layer.apply(images)).`);
  }

  backward(_ctx: BackwardContext): void {
    throw new Error(`${this.#where} has no gradient: it runs on data only.`);
  }

  /** Symbolic inputs: refused (see {@link computeOutputShape}). */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor;
  /**
   * Resizes `images` ([batch, height, width, channels] or [height, width, channels]) along the
   * layer's axis to a size drawn now; `{ training: false }` passes them through.
   */
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>;
  override apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: LayerApplyArgs): SymbolicTensor | Tensor<'float32'> {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (!list.some((x) => x instanceof Tensor)) return super.apply(inputs as SymbolicTensor, options);
    const where = `${this.#where}.apply`;
    checkOptions(options, ['training'], where);
    if (list.length !== 1 || !(list[0] instanceof Tensor)) throw new Error(`${where} takes one km.Tensor of images. Received ${list.length} inputs.`);
    const images = list[0];
    if (images.rank !== 3 && images.rank !== 4) {
      throw new Error(`${where}: images must be [batch, height, width, channels] or one image [height, width, channels]. Received shape [${images.shape.join(', ')}].`);
    }
    const training = options?.training ?? true;
    if (typeof training !== 'boolean') throw new Error(`${where}: training must be true or false. Received: training=${JSON.stringify(training)}.`);
    const input = new Tensor(Float32Array.from(images.dataSync()), images.shape, 'float32');
    if (!training) return input;
    const [height, width] = images.shape.slice(-3, -1) as [number, number];
    const size = this.#axis === 'height' ? height : width;
    // tfjs draws one float32 factor per call and rounds factor·size half up.
    const drawn = Math.fround(this.#random.generator.uniform(1 + this.#lower, 1 + this.#upper));
    const newSize = Math.round(drawn * size);
    if (newSize < 1) {
      const [lower, upper] = sizeKeepingFactor(size, this.#upper);
      throw new Error(`${where}: the drawn factor ${drawn} makes the ${this.#axis} ${size} round to 0. Raise factor's lower bound above −1 + 0.5/${this.#axis}, e.g. factor: [${lower}, ${upper}].`);
    }
    const newShape: [number, number] = this.#axis === 'height' ? [newSize, width] : [height, newSize];
    return this.interpolation === 'bilinear' ? resizeBilinear(input, newShape) : resizeNearestNeighbor(input, newShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, interpolation: this.interpolation, seed: this.seed ?? null };
  }
}

/**
 * A factor `[lower, upper]` whose every draw keeps `size` at least 1 pixel: lower the nearest
 * hundredth strictly above −1 + 0.5/size, upper the given one raised to it where it is below.
 */
function sizeKeepingFactor(size: number, upper: number): [number, number] {
  const lower = Number((-1 + Math.floor((0.5 / size) * 100) / 100 + 0.01).toFixed(2));
  return [lower, Math.max(lower, upper)];
}
