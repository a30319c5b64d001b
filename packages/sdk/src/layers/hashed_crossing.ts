import type { Backend, BufferId } from '../backend/backend.js';
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import { SymbolicTensor } from '../engine/symbolic.js';
import { Tensor } from '../tensor.js';
import { crossHash } from '../utils/hash_cross.js';
import { optionNames } from '../utils/options.js';
import { IndexOutput, type IndexSpace } from './index_output.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { checkRequiredOptions, LAYER } from './layer_options.js';
import { formatShape } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { isExactId, readOnHost } from './host_ids.js';

/** Options of {@link HashedCrossing}, with Keras 3's defaults. */
export interface HashedCrossingArgs extends LayerArgs {
  /** How many bins the crosses are hashed into. */
  numBins: number;
  /** 'int' (default): each sample's bin. 'one_hot': a row of numBins with a 1 at the bin. */
  outputMode?: 'int' | 'one_hot';
  /** Keras' sparse outputs; only false. */
  sparse?: boolean;
}

/** One feature of a batch on plain data: a value, one per sample (`[n]`), or one-value rows (`[n, 1]`); strings or integers. */
export type CrossFeature = string | number | readonly (string | number)[] | readonly (readonly (string | number)[])[];

const MODES = ['int', 'one_hot'] as const;
const OPTIONS = optionNames<HashedCrossingArgs>({ ...LAYER, numBins: true, outputMode: true, sparse: true });

/**
 * Keras' HashedCrossing: crosses two or more categorical features into one bin per sample, with
 * the bins Keras gives (tf.sparse.cross_hashed: FingerprintCat64 chained from TensorFlow's default
 * key over each feature, a string's FarmHash Fingerprint64 or an integer's own 64 bits, modulo
 * numBins), or Keras' one-hot encoding of them.
 *
 * In a model each input holds one whole number per sample (shape `[1]`; an int32 input, or whole
 * float32 values from -2^24 to 2^24), as Keras crosses int features. Strings, which kerasm's
 * tensors cannot hold, are crossed on plain data before the model: `layer.apply([feat1, feat2])`
 * takes lists of strings or integers (one per sample, `[n]` or `[n, 1]`, or one value) and returns
 * an int32 tensor of bins (float32 for 'one_hot'). The hashing runs on the host, as Keras runs it as
 * a CPU op: in a model, one read back per batch (tfjs-webgpu, which cannot read back
 * synchronously, refuses it). No gradient passes through.
 *
 * @example
 * ```ts
 * const cross = km.layers.hashedCrossing({ numBins: 5 });
 * cross.apply([['A', 'B', 'A', 'B', 'A'], [101, 101, 101, 102, 102]]); // int32 [1, 4, 1, 1, 3], as Keras
 * const [age, city] = [km.input({ shape: [1], dtype: 'int32' }), km.input({ shape: [1], dtype: 'int32' })];
 * const crossed = km.layers.hashedCrossing({ numBins: 64 }).apply([age, city]);
 * const embedded = km.layers.embedding({ inputDim: 64, outputDim: 8 }).apply(crossed);
 * ```
 */
export class HashedCrossing extends Layer {
  readonly className = 'HashedCrossing';
  readonly numBins: number;
  readonly outputMode: 'int' | 'one_hot';
  readonly #output: IndexOutput;
  readonly #where: string;

  constructor(args: HashedCrossingArgs) {
    super(args, 'HashedCrossing');
    const where = (this.#where = `HashedCrossing layer '${this.name}'`);
    if (!Number.isInteger(args.numBins) || args.numBins < 1) {
      throw new Error(`${where}: numBins must be a positive integer, the number of bins the crosses are hashed into. Received: numBins=${JSON.stringify(args.numBins)}.`);
    }
    this.numBins = args.numBins;
    this.#output = new IndexOutput(args, MODES, where);
    this.outputMode = this.#output.mode as 'int' | 'one_hot';
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    if (inputShapes.length < 2) {
      throw new Error(`${this.#where} crosses two or more features, but received ${inputShapes.length} input${inputShapes.length === 1 ? '' : 's'}. Call it on a list of them: layer.apply([a, b]).`);
    }
    const bad = inputShapes.findIndex((shape) => shape.length !== 1 || shape[0] !== 1);
    if (bad >= 0) {
      throw new Error(`${this.#where} crosses one value per sample of each feature, shape (None, 1), as Keras, but input ${bad} has shape ${formatShape(inputShapes[bad])}. Give each feature its own input of shape [1].`);
    }
    return this.outputMode === 'int' ? [1] : [this.numBins];
  }

  #space(): IndexSpace {
    return { perSample: 1, depth: this.numBins, scratch: 0 };
  }

  override workspaceSize(batch: number): number {
    return this.#output.workspaceSize(batch, this.#space());
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    this.#output.initWorkspace(backend, workspace, batch, this.#space());
  }

  override get readsIndices(): boolean {
    return true;
  }

  override checkModelInput(values: Float32Array | Int32Array, _perSample: number, what: string): void {
    const bad = values.findIndex((v) => !isExactId(v));
    if (bad >= 0) throw this.#badValue(values[bad], `${what} holds`, bad);
  }

  #badValue(v: number, holds: string, sample: number): Error {
    return new Error(`${this.#where} crosses whole numbers from -2^24 to 2^24 in a model (what float32 batches hold exactly), as Keras crosses int features, but ${holds} ${v} at sample ${sample}. Pass whole-number ids (an int32 tensor); to cross strings or larger ids, apply the layer to plain arrays before the model.`);
  }

  /**
   * The bin of one sample's features, in input order, as Keras' HashedCrossing computes it.
   * @example `km.layers.hashedCrossing({ numBins: 5 }).bin(['B', 102]); // 1`
   */
  bin(features: readonly (string | number)[]): number {
    return Number(crossHash(features, this.numBins));
  }

  /** Keras' `layer((feat1, feat2))` on plain data: an int32 tensor of bins (float32 for 'one_hot'); see the class. */
  override apply(features: readonly CrossFeature[]): Tensor;
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor;
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>;
  override apply(inputs: unknown, options?: LayerApplyArgs): unknown {
    const isTensor = (x: unknown) => x instanceof Tensor || x instanceof SymbolicTensor;
    if (isTensor(inputs) || (Array.isArray(inputs) && inputs.length > 0 && inputs.every(isTensor))) return super.apply(inputs as readonly Tensor[], options);
    return this.#crossData(inputs);
  }

  #crossData(inputs: unknown): Tensor {
    if (!Array.isArray(inputs) || inputs.length < 2) {
      throw new Error(`${this.#where} crosses two or more features: call it on a list of them, layer.apply([feat1, feat2]). Received: ${Array.isArray(inputs) ? `a list of ${inputs.length}` : JSON.stringify(inputs)?.slice(0, 60)}.`);
    }
    const columns = inputs.map((feature, k) => this.#column(feature, k));
    const { shape } = columns[0];
    const other = columns.findIndex((c) => c.shape.join() !== shape.join());
    if (other >= 0) {
      const [a, b] = [columns[0].values.length, columns[other].values.length];
      const problem = a !== b ? `mismatched batch sizes: feature 0 has ${a} samples and feature ${other} has ${b}` : `feature 0 has shape [${shape.join(', ')}] and feature ${other} has shape [${columns[other].shape.join(', ')}]`;
      throw new Error(`${this.#where} crosses the features of each sample, so they must have one shape, but ${problem}. Give every feature one value per sample, in the same order.`);
    }
    const bins = columns[0].values.map((_, i) => this.bin(columns.map((c) => c.values[i])));
    if (this.outputMode === 'int') return new Tensor(Int32Array.from(bins), shape, 'int32');
    const oneHot = new Float32Array(bins.length * this.numBins);
    bins.forEach((bin, i) => (oneHot[i * this.numBins + bin] = 1));
    return new Tensor(oneHot, [...shape.slice(0, 1), this.numBins], 'float32');
  }

  /** Feature `k` of plain data as its values, one per sample, and its shape ([], [n] or [n, 1]). */
  #column(feature: unknown, k: number): { values: (string | number)[]; shape: number[] } {
    const rows = Array.isArray(feature) && feature.every((row) => Array.isArray(row)) && feature.length > 0;
    if (rows && !(feature as unknown[][]).every((row) => row.length === 1)) {
      throw new Error(`${this.#where} crosses one value per sample of each feature (Keras' shapes (), (batch,) and (batch, 1)), but feature ${k} has rows of ${(feature as unknown[][]).map((r) => r.length).find((n) => n !== 1)} values. Cross one column at a time.`);
    }
    const values: unknown[] = rows ? (feature as unknown[][]).map((row) => row[0]) : Array.isArray(feature) ? feature : [feature];
    const bad = values.findIndex((v) => typeof v !== 'string' && !Number.isSafeInteger(v));
    if (bad >= 0) {
      throw new Error(`${this.#where} crosses strings or integers, as Keras refuses float features, but feature ${k} holds ${JSON.stringify(values[bad]) ?? String(values[bad])} at sample ${bad}. Pass category ids or strings (e.g. discretize a float feature first, with km.layers.discretization).`);
    }
    const shape = rows ? [values.length, 1] : Array.isArray(feature) ? [values.length] : [];
    return { values: values as (string | number)[], shape };
  }

  forward(ctx: ForwardContext): void {
    const n = ctx.batch;
    const reading = `${this.#where} hashes on the host, which needs its inputs`;
    const columns = ctx.inputs.map((id) => readOnHost(ctx.backend, id, n, reading, 'cross the features before the model with layer.apply([feat1, feat2])'));
    const bins = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const sample = columns.map((column) => {
        const v = column[i];
        if (!isExactId(v)) throw this.#badValue(v, 'its input holds', i);
        return v;
      });
      bins[i] = this.bin(sample);
    }
    this.#output.write(ctx, this.#space(), (out) => ctx.backend.write(out, bins));
  }

  backward(ctx: BackwardContext): void {
    for (const grad of ctx.inputGrads) if (grad) ctx.backend.fill(grad, ctx.batch, 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numBins: this.numBins, outputMode: this.outputMode, sparse: false };
  }
}

/**
 * Crosses categorical features into hashed bins, as Keras' HashedCrossing.
 * @example `km.layers.hashedCrossing({ numBins: 64 }).apply([age, city])`
 */
export function hashedCrossing(args: HashedCrossingArgs): HashedCrossing {
  checkRequiredOptions(args, OPTIONS, 'km.layers.hashedCrossing');
  return new HashedCrossing(args);
}

// Keras saves its output dtype ('int64' for 'int'); kerasm's bins are whole float32 numbers either way.
registerBuiltinLayer('HashedCrossing', (config) => {
  const { dtype, ...rest } = config;
  const integer = typeof dtype === 'string' && /^u?int(8|16|32|64)$/.test(dtype);
  return new HashedCrossing((integer ? rest : config) as unknown as HashedCrossingArgs);
});
