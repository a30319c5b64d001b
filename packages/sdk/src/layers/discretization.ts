import type { Backend, BufferId } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { adaptBatches, type AdaptData } from './normalization_statistics.js';
import { registerBuiltinLayer } from './registry.js';
import { BIN_OUTPUT_MODES, IndexOutput, type IndexOutputMode, type IndexSpace } from './index_output.js';
import { bucketize, MATCHING_SCRATCH } from './value_matching.js';
import { checkOptions } from '../utils/options.js';
import { DISCRETIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link Discretization}, with Keras 3's defaults. Give `binBoundaries`, or `numBins` and call `adapt`. */
export interface DiscretizationArgs extends LayerArgs {
  /** Ascending bin edges: x < b[0] goes to bin 0, b[i-1] ≤ x < b[i] to bin i, x ≥ the last to bin b.length. */
  binBoundaries?: readonly number[] | null;
  /** How many bins `adapt` makes (numBins − 1 boundaries at the data's quantiles). */
  numBins?: number | null;
  /** Keras' error tolerance of its approximate quantiles (default 0.01); kept in the config, as adapt here computes exact quantiles. */
  epsilon?: number;
  /** 'int' (default): each value becomes its bin index. Or Keras' encodings of the bins: 'one_hot', 'multi_hot' or 'count'. */
  outputMode?: Exclude<IndexOutputMode, 'tf_idf'>;
  /** Keras' sparse outputs; only false. */
  sparse?: boolean;
}

/**
 * Keras' Discretization: each value of the input becomes the index of the bin it falls in (as
 * whole float32 numbers, which an Embedding or CategoryEncoding after it reads as ids). The bins
 * are given as `binBoundaries`, or learned by `adapt` as the quantiles that split the data into
 * `numBins` equally filled bins. It has no weights and passes no gradient to its input (a layer
 * before it gets zeros, as the step function's derivative is 0 almost everywhere).
 *
 * @example
 * ```ts
 * const ages = km.layers.discretization({ binBoundaries: [18, 35, 65], inputShape: [1] }); // 4 bins
 * const byQuantile = km.layers.discretization({ numBins: 4 });
 * await byQuantile.adapt(km.tensor(incomes, [incomes.length, 1]));
 * ```
 */
export class Discretization extends Layer {
  readonly className = 'Discretization';
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: IndexOutputMode;
  readonly #output: IndexOutput;
  readonly #where: string;
  #boundaries: number[] | null;
  #perSample = 0;

  constructor(args: DiscretizationArgs = {}) {
    super(args, 'Discretization');
    const where = (this.#where = `Discretization layer '${this.name}'`);
    this.#output = new IndexOutput(args, BIN_OUTPUT_MODES, where);
    this.outputMode = this.#output.mode;
    this.epsilon = args.epsilon ?? 0.01;
    if (!(Number.isFinite(this.epsilon) && this.epsilon > 0 && this.epsilon < 1)) {
      throw new Error(`${where}: epsilon must be a number between 0 and 1. Received: epsilon=${JSON.stringify(args.epsilon)}.`);
    }
    const numBins = args.numBins ?? null;
    if (numBins !== null && (!Number.isInteger(numBins) || numBins < 2)) {
      throw new Error(`${where}: numBins must be an integer of at least 2. Received: numBins=${JSON.stringify(numBins)}.`);
    }
    this.numBins = numBins;
    this.#boundaries = args.binBoundaries == null ? null : checkedBoundaries(args.binBoundaries, where);
    if (this.#boundaries && numBins !== null && this.#boundaries.length !== numBins - 1) {
      throw new Error(`${where} was given numBins=${numBins} and ${this.#boundaries.length} binBoundaries, but numBins bins need numBins − 1 boundaries. Give one of them.`);
    }
    if (!this.#boundaries && numBins === null) {
      throw new Error(`${where} needs binBoundaries (e.g. [0, 1, 2]) or numBins (then call await layer.adapt(data)). Received neither.`);
    }
  }

  /** The bin edges: given, or set by `adapt`; null before adapting. */
  get binBoundaries(): readonly number[] | null {
    return this.#boundaries;
  }

  /** How many bins there are: the columns of an encoded output. */
  #depth(): number {
    return this.numBins ?? this.#boundaries!.length + 1;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.#output.shape(singleInput(this, inputShapes), this.#depth(), this.#where);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#perSample = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  /**
   * Sets `binBoundaries` to the exact quantiles of every value in `data` (a km.Tensor, the same as
   * plain arrays, or a km.data Dataset of batches): with the n values sorted as s, boundary i (1 ≤ i < numBins) is
   * s[floor(i·n / numBins)]. Keras computes approximate quantiles (within epsilon); these are exact.
   *
   * @example
   * ```ts
   * await layer.adapt(km.data.array(rows).batch(256));
   * ```
   */
  async adapt(data: AdaptData): Promise<void> {
    if (this.numBins === null) {
      throw new Error(`${this.#where} was given binBoundaries without numBins, so adapt has nothing to learn. Create it with numBins to adapt it on data.`);
    }
    const parts: Float32Array[] = [];
    for await (const batch of adaptBatches(data, this.#where)) {
      const values = Float32Array.from(batch.dataSync());
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new Error(`${this.#where}: adapt received ${values[bad]} at position ${bad} of a batch; quantiles need finite values. Remove or impute missing values before adapting.`);
      parts.push(values);
    }
    const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    if (all.length === 0) throw new Error(`${this.#where}: adapt received no values. Pass data with at least one value.`);
    all.sort();
    this.#boundaries = Array.from({ length: this.numBins - 1 }, (_, k) => all[Math.floor(((k + 1) * all.length) / this.numBins!)]);
  }

  #space(batch: number): IndexSpace {
    return { perSample: this.#perSample, depth: this.#depth(), scratch: MATCHING_SCRATCH * batch * this.#perSample };
  }

  override workspaceSize(batch: number): number {
    return this.#output.workspaceSize(batch, this.#space(batch));
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    this.#output.initWorkspace(backend, workspace, batch, this.#space(batch));
  }

  forward(ctx: ForwardContext): void {
    if (!this.#boundaries) {
      throw new Error(`${this.#where} has no bin boundaries yet. Call await layer.adapt(data) before fit, evaluate or predict, or create it with binBoundaries.`);
    }
    const boundaries = this.#boundaries;
    const n = ctx.batch * this.#perSample;
    this.#output.write(ctx, this.#space(ctx.batch), (out) => bucketize(ctx.backend, ctx.inputs[0], out, boundaries, n, ctx.workspace));
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.fill(ctx.inputGrads[0], ctx.batch * this.#perSample, 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), binBoundaries: this.#boundaries, numBins: this.numBins, epsilon: this.epsilon, outputMode: this.outputMode, sparse: false };
  }
}

function checkedBoundaries(value: readonly number[], where: string): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => Number.isFinite(v))) {
    throw new Error(`${where}: binBoundaries must be a non-empty list of finite numbers. Received: binBoundaries=${JSON.stringify(value)}.`);
  }
  const unsorted = value.findIndex((v, i) => i > 0 && v < value[i - 1]);
  if (unsorted > 0) {
    throw new Error(`${where}: binBoundaries must be in ascending order, but ${value[unsorted]} at position ${unsorted} follows ${value[unsorted - 1]}. Received: binBoundaries=${JSON.stringify(value)}. Sort them.`);
  }
  return [...value];
}

registerBuiltinLayer('Discretization', (config) => new Discretization(config as DiscretizationArgs));

/** Bins values by boundaries given or adapted (quantiles). @example `km.layers.discretization({ binBoundaries: [0, 10, 100] })` */
export function discretization(args: DiscretizationArgs): Discretization {
  checkOptions(args, DISCRETIZATION_OPTIONS, 'km.layers.discretization');
  return new Discretization(args);
}
