// Keras 3's LoRA (low-rank adaptation) of a layer's weight matrix W [rows, cols]: W stays frozen
// and the layer computes with W + s·A·B, s = alpha / rank, training only A [rows, rank] and
// B [rank, cols]. Dense (its kernel), EinsumDense and the convolutions Conv1D, Conv2D, Conv3D (their
// kernel as [prod(shape[:-1]), shape[-1]], as Keras 3 shapes A) and Embedding (its table) use the
// kernels here, and each holds a LayerLora for the members they share.
import type { Backend, BufferId } from '../backend/backend.js';
import type { Constraint } from '../constraints/constraints.js';
import { getInitializer, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Layer, Shape, WeightSpec } from './layer.js';

/** The LoRA options of Dense, EinsumDense, Embedding, Conv1D, Conv2D and Conv3D, as Keras 3's `lora_rank` and `lora_alpha`. */
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

/** A layer that LoRA can adapt (Dense, EinsumDense, Embedding, Conv1D, Conv2D, Conv3D). */
export interface LoraLayer {
  /**
   * Enables LoRA with rank `rank`, as Keras 3's `layer.enable_lora(rank)`: on a layer not built yet,
   * as the `loraRank` option does; on a trained one (fine-tuning), keeping its weights and so its
   * predictions. Its weight matrix is frozen, and the factors A (heUniform) and B (zeros) are added
   * after its other weights, trainable. The model saves the merged matrix and `lora_rank` in the
   * config, as Keras 3 does.
   */
  enableLora(rank: number, options?: EnableLoraOptions): void;
  /** The LoRA settings, or null when LoRA is off. */
  readonly lora: Lora | null;
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

  /** Workspace floats of {@link regionWithGradient}: the region's, then the effective matrix's gradient. */
  regionWithGradientFloats(rows: number, cols: number): number {
    return this.regionFloats(rows, cols) + rows * cols;
  }

  /**
   * {@link region}, then a place for the effective matrix's gradient: for a layer whose backward
   * still reads the effective matrix after writing that gradient (EinsumDense's contraction, a
   * convolution's columns' gradient), where Dense writes the gradient over it.
   */
  regionWithGradient(backend: Backend, workspace: BufferId, offset: number, b: BufferId, rows: number, cols: number): { effective: BufferId; s: BufferId; sB: BufferId; effectiveGrad: BufferId } {
    const effectiveGrad = backend.view(workspace, offset + this.regionFloats(rows, cols), rows * cols);
    return { ...this.region(backend, workspace, offset, b, rows, cols), effectiveGrad };
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

/** An adapted layer's frozen matrix and its factors, as specs of its weights. */
export interface LoraWeights {
  readonly lora: Lora;
  readonly base: WeightSpec;
  readonly a: WeightSpec;
  readonly b: WeightSpec;
}

/** How a layer's `build` declares a weight and gets its spec back: its addWeight, then its lastDeclaredWeight. */
export type DeclareWeight = (name: string, shape: Shape, initializer: Initializer) => WeightSpec;

/** The constraint option on the matrix LoRA adapts (`kernelConstraint`, Embedding's `embeddingsConstraint`) and its value. */
export interface ConstrainedMatrix {
  readonly option: string;
  readonly constraint: Constraint | null;
}

/** Each adapted layer's LayerLora, by which saving and loading find its factors. */
const LAYER_LORAS = new WeakMap<Layer, LayerLora>();

/**
 * The LoRA of one layer: its settings (from `loraRank`/`loraAlpha` or `enableLora`) and, once built
 * with them, its adapted matrix and factors. A layer that LoRA adapts holds one and delegates the
 * {@link LoraLayer} members to it, keeping only how it computes with the effective matrix.
 */
export class LayerLora {
  readonly #layer: Layer;
  #settings: Lora | null = null;
  #weights: LoraWeights | null = null;
  readonly #constrained: ConstrainedMatrix;

  /**
   * The LoRA of `layer`, made in its constructor; `where` names it in errors (its className may not
   * be set yet). A constraint on the adapted matrix refuses LoRA, as in Keras 3: the matrix stays
   * frozen while the factors train, so nothing would keep it constrained.
   */
  constructor(layer: Layer, args: LoraArgs, where: string, constrained: ConstrainedMatrix) {
    this.#layer = layer;
    LAYER_LORAS.set(layer, this);
    this.#constrained = constrained;
    // Keras writes lora_alpha beside a null lora_rank.
    if (args.loraRank !== undefined && args.loraRank !== null) this.#settings = this.#checked(new Lora(args.loraRank, { loraAlpha: args.loraAlpha }, where), where);
  }

  /** The settings, or null while LoRA is off. */
  get settings(): Lora | null {
    return this.#settings;
  }

  /** The adapted matrix and its factors once built with LoRA, else null. */
  get weights(): LoraWeights | null {
    return this.#weights;
  }

  /**
   * Turns LoRA on for `layer.enableLora(rank, options)`, after which the layer declares its weights
   * again; an error when it is on already (Keras: "lora is already enabled").
   */
  enable(rank: number, options: EnableLoraOptions): void {
    const where = `${this.#layer.className} layer '${this.#layer.name}'`;
    checkOptions(options, ENABLE_LORA_OPTIONS, `${where}: enableLora`);
    if (this.#settings) throw new Error(`${where}: lora is already enabled (loraRank=${this.#settings.rank}). Enable it once.`);
    this.#settings = this.#checked(new Lora(rank, options, where), where);
  }

  #checked(lora: Lora, where: string): Lora {
    const { option, constraint } = this.#constrained;
    if (constraint) {
      throw new Error(`${where}: LoRA is incompatible with ${option} (the matrix it constrains stays frozen while A and B train). Received: ${option}=${constraint.className}, loraRank=${lora.rank}. Remove ${option} to enable LoRA, or leave loraRank out to train the constrained matrix.`);
    }
    return lora;
  }

  /**
   * Declares the factors in `build`, after the layer's other weights, when LoRA is on: for `base`
   * of shape `[...rows, cols]`, `lora_<name>_a` `[...rows, rank]` and `lora_<name>_b` `[rank, cols]`
   * (`name`: kernel, or Embedding's embeddings), as Keras 3 names and shapes them.
   */
  declareFactors(base: WeightSpec, declare: DeclareWeight, name = 'kernel'): void {
    const lora = this.#settings;
    if (!lora) return;
    const a = declare(`lora_${name}_a`, [...base.shape.slice(0, -1), lora.rank], lora.aInitializer);
    const b = declare(`lora_${name}_b`, [lora.rank, base.shape[base.shape.length - 1]], lora.bInitializer);
    this.#weights = { lora, base, a, b };
  }
}

/** The adapted weights of `layer`, or null when it has none (not a layer LoRA adapts, LoRA off, or not built). */
export function loraWeightsOf(layer: Layer): LoraWeights | null {
  return LAYER_LORAS.get(layer)?.weights ?? null;
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
