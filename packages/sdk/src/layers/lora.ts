// Keras 3's LoRA (low-rank adaptation) of a layer's weight matrix W [rows, cols]: W stays frozen
// and the layer computes with W + s·A·B, s = alpha / rank, training only A [rows, rank] and
// B [rank, cols]. Dense (its kernel), EinsumDense (its kernel as [prod(shape[:-1]), shape[-1]], as
// Keras 3 shapes A) and Embedding (its table) use the kernels here.
import type { Backend, BufferId } from '../backend/backend.js';
import { getInitializer, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Layer, WeightSpec } from './layer.js';

/** The LoRA options of Dense, EinsumDense and Embedding, as Keras 3's `lora_rank` and `lora_alpha`. */
export interface LoraArgs {
  /**
   * Enables LoRA at build with this rank (Keras' `lora_rank`, default null: off): the weight matrix
   * is frozen and two trainable factors of this rank adapt it. See {@link LoraLayer.enableLora}.
   */
  loraRank?: number | null;
  /** Scales the adaptation by loraAlpha / loraRank (Keras' `lora_alpha`, default loraRank: a scale of 1). */
  loraAlpha?: number | null;
}

/** Options of `enableLora`, as Keras 3's `enable_lora(rank, lora_alpha, a_initializer, b_initializer)`. */
export interface EnableLoraOptions {
  /** Scales the adaptation by loraAlpha / rank (default rank). */
  loraAlpha?: number | null;
  /** Initializer of the factor A `[rows, rank]` (default heUniform). */
  aInitializer?: InitializerSpec;
  /** Initializer of the factor B `[rank, cols]` (default zeros, so the adapted layer starts as the base one). */
  bInitializer?: InitializerSpec;
}

const ENABLE_LORA_OPTIONS = optionNames<EnableLoraOptions>({ loraAlpha: true, aInitializer: true, bInitializer: true });

/** A layer that LoRA can adapt (Dense, EinsumDense, Embedding). */
export interface LoraLayer {
  /**
   * Enables LoRA, as Keras 3's `layer.enable_lora(rank)`, before or after the layer is built (a
   * trained one keeps its weights): its weight matrix is frozen and the trainable factors A and B
   * are added after its other weights.
   */
  enableLora(rank: number, options?: EnableLoraOptions): void;
  /** The LoRA settings, or null when LoRA is off. */
  readonly lora: Lora | null;
  /** @internal The adapted matrix and its factors once built with LoRA, else null (how saving merges them). */
  loraWeights(): LoraWeights | null;
}

/** A received value as errors quote it: NaN and Infinity as themselves, which JSON writes as null. */
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/** LoRA's settings on one layer: rank, alpha and the factors' initializers. */
export class Lora {
  readonly rank: number;
  readonly alpha: number;
  readonly aInitializer: Initializer;
  readonly bInitializer: Initializer;

  constructor(rank: number, options: EnableLoraOptions, where: string) {
    if (!Number.isInteger(rank) || rank < 1) {
      throw new Error(`${where}: the LoRA rank must be a positive integer. Received: loraRank=${shown(rank)}. Pass e.g. loraRank: 4, or null to train the full matrix.`);
    }
    const alpha = options.loraAlpha ?? rank;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
      throw new Error(`${where}: loraAlpha must be a finite number. Received: loraAlpha=${shown(options.loraAlpha)}. Leave it out to scale the adaptation by 1 (loraAlpha = loraRank).`);
    }
    this.rank = rank;
    this.alpha = alpha;
    this.aInitializer = getInitializer(options.aInitializer ?? 'heUniform', `${where} LoRA aInitializer`);
    this.bInitializer = getInitializer(options.bInitializer ?? 'zeros', `${where} LoRA bInitializer`);
  }

  /** s = alpha / rank, the factor of A·B. */
  get scale(): number {
    return this.alpha / this.rank;
  }

  /** The config keys Keras 3 writes for it. */
  config(): { loraRank: number; loraAlpha: number } {
    return { loraRank: this.rank, loraAlpha: this.alpha };
  }

  /** Workspace floats of {@link scaleB} for a B of `cols` columns: s repeated, then s·B. */
  scaledBFloats(cols: number): number {
    return 2 * this.rank * cols;
  }

  /** Workspace floats of {@link region} for a `[rows, cols]` matrix: its effective matrix, then s and s·B. */
  regionFloats(rows: number, cols: number): number {
    return rows * cols + this.scaledBFloats(cols);
  }

  /**
   * The LoRA region of a layer's workspace at `offset` (see {@link regionFloats}) for a `[rows, cols]`
   * matrix: the effective matrix's place (forward writes it with {@link effectiveMatrix}; it stays
   * there for backward), then s and s·B written afresh from B.
   */
  region(backend: Backend, workspace: BufferId, offset: number, b: BufferId, rows: number, cols: number): { effective: BufferId; s: BufferId; sB: BufferId } {
    const size = rows * cols;
    const { s, sB } = this.scaleB(backend, workspace, offset + size, b, cols);
    return { effective: backend.view(workspace, offset, size), s, sB };
  }

  /**
   * Writes s·B into the workspace at `offset` (after `rank·cols` floats holding s, which
   * {@link scaleGrad} reuses) and returns both views: the kernels have no scalar multiply.
   */
  scaleB(backend: Backend, workspace: BufferId, offset: number, b: BufferId, cols: number): { s: BufferId; sB: BufferId } {
    const n = this.rank * cols;
    const s = backend.view(workspace, offset, n);
    const sB = backend.view(workspace, offset + n, n);
    backend.fill(s, n, this.scale);
    backend.mul(b, s, sB, n);
    return { s, sB };
  }
}

/** The layer's LoRA from its `loraRank`/`loraAlpha` options, or null without a rank (Keras writes `lora_alpha` beside a null `lora_rank`). */
export function loraFromArgs(args: LoraArgs, where: string): Lora | null {
  if (args.loraRank === undefined || args.loraRank === null) return null;
  return new Lora(args.loraRank, { loraAlpha: args.loraAlpha }, where);
}

/**
 * The Lora that `layer.enableLora(rank, options)` sets, given the one it has: an error when LoRA is
 * on already (Keras: "lora is already enabled").
 */
export function enableLoraOn(layer: Layer, current: Lora | null, rank: number, options: EnableLoraOptions): Lora {
  const where = `${layer.className} layer '${layer.name}'`;
  checkOptions(options, ENABLE_LORA_OPTIONS, `${where}: enableLora`);
  if (current) throw new Error(`${where}: lora is already enabled (loraRank=${current.rank}). Enable it once.`);
  return new Lora(rank, options, where);
}

/** An adapted layer's frozen matrix and its factors, as specs of its weights. */
export interface LoraWeights {
  readonly lora: Lora;
  readonly base: WeightSpec;
  readonly a: WeightSpec;
  readonly b: WeightSpec;
}

/** The adapted weights of `layer`, or null when it has none (not a layer LoRA adapts, LoRA off, or not built). */
export function loraWeightsOf(layer: Layer): LoraWeights | null {
  const adapted = layer as Partial<Pick<LoraLayer, 'loraWeights'>>;
  return typeof adapted.loraWeights === 'function' ? adapted.loraWeights() : null;
}

/**
 * The effective matrix W + s·A·B [rows, cols] into `out`, from s·B (see {@link Lora.scaleB}),
 * with the GEMM kernel.
 */
export function effectiveMatrix(backend: Backend, w: BufferId, a: BufferId, sB: BufferId, out: BufferId, rows: number, cols: number, rank: number): void {
  backend.copy(w, out, rows * cols);
  backend.matMul(a, sB, out, rows, cols, rank, false, false, true);
}

/**
 * The factors' gradients from dW, the gradient of the effective matrix [rows, cols]:
 * dA = s·dW·Bᵀ = dW·(s·B)ᵀ and dB = s·Aᵀ·dW (`s` holds s repeated over B's size).
 */
export function factorGrads(backend: Backend, dW: BufferId, a: BufferId, sB: BufferId, s: BufferId, dA: BufferId, dB: BufferId, rows: number, cols: number, rank: number): void {
  backend.matMul(dW, sB, dA, rows, rank, cols, false, true, false);
  backend.matMul(a, dW, dB, rank, cols, rows, true, false, false);
  backend.mul(dB, s, dB, rank * cols);
}

/**
 * The values Keras 3 saves for an adapted matrix: W + s·A·B, computed in float64 on the host
 * (A and B are not saved; a layer loaded with `lora_rank` starts from fresh ones, B zero).
 */
export function mergedMatrix(w: Float32Array, a: Float32Array, b: Float32Array, rows: number, cols: number, lora: Lora): Float32Array {
  const out = new Float32Array(rows * cols);
  const s = lora.scale;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let r = 0; r < lora.rank; r++) sum += a[i * lora.rank + r] * b[r * cols + j];
      out[i * cols + j] = w[i * cols + j] + s * sum;
    }
  }
  return out;
}
