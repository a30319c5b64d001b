import type { Backend, BufferId } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { checkRequiredOptions, SPECTRAL_NORMALIZATION_OPTIONS } from './layer_options.js';
import { registerBuiltinLayer } from './registry.js';
import { innerLayerFromConfig, SingleLayerWrapper, type WrapperArgs } from './wrapper.js';

/** Options of {@link SpectralNormalization}. */
export interface SpectralNormalizationArgs extends WrapperArgs {
  /** Power iterations per training batch that refine the estimate of the kernel's largest singular value (default 1). */
  powerIterations?: number;
}

// Keras' normalize(x, axis=None): x·min(1/‖x‖, 1/ε) with ε = 1e-7, i.e. x/√max(Σx², ε²).
const SQUARED_NORM_EPSILON = 1e-14;

/**
 * Keras 3's SpectralNormalization: keeps the largest singular value of the wrapped layer's kernel
 * near 1, which bounds its Lipschitz constant (a GAN's discriminator trains more stably). At the
 * start of each training call it runs `powerIterations` steps of the power method on the kernel,
 * reshaped to `[-1, units]`, from the non-trainable `vector_u` (`v = normalize(u·Wᵀ)`,
 * `u = normalize(v·W)`), estimates σ = v·W·uᵀ, and assigns `vector_u = u` and `kernel = kernel / σ`
 * (neither when the kernel is all zeros); then it runs the layer. No gradient flows through the
 * normalization: the optimizer updates the normalized kernel, as in Keras. In inference (`predict`,
 * `evaluate`) it only runs the layer. The layer needs a `kernel` weight (Dense, Conv1D/2D/3D, their
 * transposes, ...) or, as an Embedding, `embeddings`. Its weights are the layer's, then `vector_u`
 * (`[1, units]`, TruncatedNormal with stddev 0.02).
 *
 * @example
 * ```ts
 * const discriminator = km.sequential([
 *   km.input({ shape: [28, 28, 1] }),
 *   km.layers.spectralNormalization({ layer: km.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2 }) }),
 *   km.layers.leakyReLU({ alpha: 0.2 }),
 *   km.layers.flatten(),
 *   km.layers.spectralNormalization({ layer: km.layers.dense({ units: 1 }), powerIterations: 2 }),
 * ]);
 * ```
 */
export class SpectralNormalization extends SingleLayerWrapper {
  readonly className = 'SpectralNormalization';
  readonly powerIterations: number;
  /** The kernel's index among the layer's weights, and its size as `[rows, units]`. */
  #kernel = { index: 0, rows: 0, units: 0 };

  constructor(args: SpectralNormalizationArgs) {
    super(args, 'SpectralNormalization');
    const p = args.powerIterations ?? 1;
    if (typeof p !== 'number' || !Number.isInteger(p) || p <= 0) {
      throw new Error(`${this.where}: powerIterations should be an integer greater than zero, e.g. powerIterations: 1 (the default). Received: powerIterations=${JSON.stringify(p)}.`);
    }
    this.powerIterations = p;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.layer.computeOutputShape(inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.layer.ensureBuilt(inputShapes);
    const own = (i: number) => this.layer.weightSpecs[i].name.slice(this.layer.name.length + 1);
    const names = this.layer.weightSpecs.map((_, i) => own(i));
    const index = names.includes('kernel') ? names.indexOf('kernel') : names.indexOf('embeddings');
    if (index < 0) {
      throw new Error(
        `${this.where}: ${this.layer.className} layer '${this.layer.name}' has no weight 'kernel' nor 'embeddings' (its weights: ${names.length > 0 ? names.join(', ') : 'none'}), so there is nothing to normalize. ` +
          'Wrap a layer with a kernel, e.g. km.layers.spectralNormalization({ layer: km.layers.dense({ units: 64 }) }) or a conv2d, or an embedding.',
      );
    }
    const shape = this.layer.weightSpecs[index].shape;
    const units = shape[shape.length - 1];
    this.#kernel = { index, rows: shape.reduce((a, b) => a * b, 1) / units, units };
    this.addInnerWeights(this.layer, '');
    this.addWeight('vector_u', [1, units], { className: 'TruncatedNormal', config: { mean: 0, stddev: 0.02, seed: null } }, false);
  }

  /** The layer's scratch, then σ, 1/σ, a scratch float, the all-zero flag, v, u and the normalized kernel. */
  override workspaceSize(batch: number): number {
    const { rows, units } = this.#kernel;
    return this.layer.workspaceSize(batch) + 4 + rows + units + rows * units;
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    this.layer.initWorkspace(backend, workspace, batch);
  }

  override get couplesSamples(): boolean {
    return this.layer.couplesSamples;
  }

  override get supportsMasking(): boolean {
    return this.layer.supportsMasking;
  }

  forward(ctx: ForwardContext): void {
    const inner = this.slice(ctx.weights, 0);
    if (ctx.training) this.#normalizeKernel(ctx, inner[this.#kernel.index], ctx.weights[ctx.weights.length - 1]);
    this.layer.forward({ ...ctx, weights: inner });
  }

  backward(ctx: BackwardContext): void {
    this.layer.backward({ ...ctx, weights: this.slice(ctx.weights, 0), weightGrads: this.slice(ctx.weightGrads, 0) });
  }

  // Keras' normalized_weights, assigned in place as Keras assigns them before calling the layer; on
  // the device, so that no backend waits on a read: an all-zero kernel keeps both by a row select.
  #normalizeKernel(ctx: ForwardContext, kernel: BufferId, vectorU: BufferId): void {
    const b = ctx.backend;
    const { rows, units } = this.#kernel;
    const size = rows * units;
    let at = this.layer.workspaceSize(ctx.batch);
    const take = (n: number) => {
      const id = b.view(ctx.workspace, at, n);
      at += n;
      return id;
    };
    const [sigma, inverse, sign, nonZero] = [take(1), take(1), take(1), take(1)];
    const [v, u, normalized] = [take(rows), take(units), take(size)];
    b.copy(vectorU, u, units);
    for (let k = 0; k < this.powerIterations; k++) {
      b.matMul(u, kernel, v, 1, rows, units, false, true, false);
      b.l2Normalize(v, v, 1, rows, 1, SQUARED_NORM_EPSILON);
      b.matMul(v, kernel, u, 1, units, rows, false, false, false);
      b.l2Normalize(u, u, 1, units, 1, SQUARED_NORM_EPSILON);
    }
    // σ = (v·W)·uᵀ, with v·W computed afresh into `normalized` (free until the kernel is scaled).
    const vw = b.view(normalized, 0, units);
    b.matMul(v, kernel, vw, 1, units, rows, false, false, false);
    b.matMul(vw, u, sigma, 1, 1, units, false, true, false);
    // 1/σ as RMS normalization's 1/√(σ² + 0) of the one value σ ≥ 0 (u is v·W normalized).
    b.rmsNormForward(sigma, sign, 0, inverse, 1, 1, 0);
    b.matMul(kernel, inverse, normalized, size, 1, 1, false, false, false);
    b.maskFromValues(kernel, nonZero, 1, size, 0);
    b.maskSelectRows(nonZero, normalized, kernel, 1, size);
    b.maskSelectRows(nonZero, u, vectorU, 1, units);
    b.copy(normalized, kernel, size);
    b.copy(u, vectorU, units);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), powerIterations: this.powerIterations };
  }
}

/**
 * Keras 3's SpectralNormalization: each training batch scales the wrapped layer's kernel by its
 * estimated largest singular value (see {@link SpectralNormalization}).
 * @example `km.layers.spectralNormalization({ layer: km.layers.dense({ units: 64 }), powerIterations: 1 })`
 */
export function spectralNormalization(args: SpectralNormalizationArgs): SpectralNormalization {
  checkRequiredOptions(args, SPECTRAL_NORMALIZATION_OPTIONS, 'km.layers.spectralNormalization');
  return new SpectralNormalization(args);
}

registerBuiltinLayer('SpectralNormalization', (config) => {
  const { layer, ...rest } = config;
  return new SpectralNormalization({ ...rest, layer: innerLayerFromConfig(layer, `SpectralNormalization layer '${String(rest.name ?? '?')}'`) } as SpectralNormalizationArgs);
});
