// Custom layers that add a loss term with `ctx.addLoss` (Keras' `add_loss`): docs/CUSTOM_LAYERS.md's
// KL divergence layer, a VAE's sampling layer, and an L2-style penalty on the batch's activations.
import * as km from '../index.js';

const sizeOf = (shape: km.layers.Shape) => shape.reduce((a, b) => a * b, 1);

/**
 * docs/CUSTOM_LAYERS.md's example, as written there (less its registerLayer call: tests leave the
 * registry as they found it): passes `[zMean, zLogVar]` through unchanged
 * and adds the batch's mean of KL(N(zMean, exp(zLogVar)) ‖ N(0, 1)) summed over the latent axis,
 * −½·Σ(1 + zLogVar − zMean² − exp(zLogVar)), as Keras' VAE does.
 */
export class KlDivergence extends km.layers.Layer {
  readonly className = 'KlDivergence';
  #latent = 0;

  constructor(args: km.layers.LayerArgs = {}) {
    super(args, 'KlDivergence');
  }

  computeOutputShape([mean]: readonly [km.layers.Shape, km.layers.Shape]): km.layers.Shape {
    return mean;
  }

  // Two outputs: the inputs, unchanged.
  override computeOutputShapes([mean, logVar]: readonly [km.layers.Shape, km.layers.Shape]): km.layers.Shape[] {
    return [mean, logVar];
  }

  protected override build([mean]: readonly [km.layers.Shape, km.layers.Shape]): void {
    this.#latent = mean.reduce((a, b) => a * b, 1);
  }

  // exp(zLogVar), the per-value terms and scratch (batch·latent floats each), then the batch's term.
  override workspaceSize(batch: number): number {
    return 3 * batch * this.#latent + 1;
  }

  // Views of the exact lengths the kernels take (tfjs' kernels read whole buffers).
  #parts(ctx: km.layers.ForwardContext) {
    const { backend, workspace } = ctx;
    const n = ctx.batch * this.#latent;
    const part = (k: number) => backend.view(workspace, k * n, n);
    return { n, exp: part(0), terms: part(1), scratch: part(2), term: backend.view(workspace, 3 * n, 1) };
  }

  forward(ctx: km.layers.ForwardContext): void {
    const { backend, batch } = ctx;
    const [mean, logVar] = [ctx.inputs[0], ctx.inputs[1]!];
    const { n, exp, terms, scratch, term } = this.#parts(ctx);
    backend.copy(mean, ctx.outputs[0]!, n);
    backend.copy(logVar, ctx.outputs[1]!, n);
    // terms = exp(zLogVar) − 1 + zMean² − zLogVar
    backend.activation('exponential', logVar, exp, batch, this.#latent);
    backend.fill(terms, n, -1);
    backend.add(terms, exp, terms, n);
    backend.mul(mean, mean, scratch, n);
    backend.add(terms, scratch, terms, n);
    backend.copy(logVar, scratch, n);
    backend.scale(scratch, n, -1);
    backend.add(terms, scratch, terms, n);
    // term = ½·Σ terms / batch: the batch's mean KL
    backend.columnSum(terms, term, n, 1, false);
    backend.scale(term, 1, 0.5 / batch);
    ctx.addLoss(term);
  }

  backward(ctx: km.layers.BackwardContext): void {
    const { backend, batch } = ctx;
    const [dMean, dLogVar] = ctx.inputGrads;
    const { n, exp } = this.#parts(ctx);
    if (dMean) {
      // d term / d zMean = zMean / batch, plus the gradient from the layers after
      backend.copy(ctx.inputs[0], dMean, n);
      backend.scale(dMean, n, 1 / batch);
      backend.add(dMean, ctx.outputGrads[0]!, dMean, n);
    }
    if (dLogVar) {
      // d term / d zLogVar = (exp(zLogVar) − 1) / (2·batch), plus the gradient from the layers after
      backend.fill(dLogVar, n, -1);
      backend.add(dLogVar, exp, dLogVar, n);
      backend.scale(dLogVar, n, 0.5 / batch);
      backend.add(dLogVar, ctx.outputGrads[1]!, dLogVar, n);
    }
  }
}

/** z = zMean + exp(zLogVar / 2)·ε with ε ~ N(0, 1), a new draw each step (seeded, for tests). */
export class Sampling extends km.layers.Layer {
  readonly className = 'Sampling';
  #latent = 0;
  #seed: number;

  constructor(args: km.layers.LayerArgs & { seed?: number } = {}) {
    const { seed = 1, ...rest } = args;
    super(rest, 'Sampling');
    this.#seed = seed;
  }

  computeOutputShape([mean]: readonly km.layers.Shape[]): km.layers.Shape {
    return mean;
  }

  protected override build([mean]: readonly km.layers.Shape[]): void {
    this.#latent = sizeOf(mean);
  }

  // ε, then exp(zLogVar / 2).
  override workspaceSize(batch: number): number {
    return 2 * batch * this.#latent;
  }

  #parts(ctx: km.layers.ForwardContext) {
    const n = ctx.batch * this.#latent;
    return { n, noise: ctx.backend.view(ctx.workspace, 0, n), std: ctx.backend.view(ctx.workspace, n, n) };
  }

  forward(ctx: km.layers.ForwardContext): void {
    const { backend, batch, inputs: [mean, logVar], output } = ctx;
    const { n, noise, std } = this.#parts(ctx);
    backend.normalNoise(noise, n, 0, 1, this.#seed++);
    backend.copy(logVar, std, n);
    backend.scale(std, n, 0.5);
    backend.activation('exponential', std, std, batch, this.#latent);
    backend.mul(std, noise, output, n);
    backend.add(output, mean, output, n);
  }

  backward(ctx: km.layers.BackwardContext): void {
    const { backend, outputGrad, inputGrads: [dMean, dLogVar] } = ctx;
    const { n, noise, std } = this.#parts(ctx);
    if (dMean) backend.copy(outputGrad, dMean, n);
    if (dLogVar) {
      backend.mul(outputGrad, noise, dLogVar, n);
      backend.mul(dLogVar, std, dLogVar, n);
      backend.scale(dLogVar, n, 0.5);
    }
  }
}

/** Options of {@link SquareSumLoss}. */
export interface SquareSumLossArgs extends km.layers.LayerArgs {
  /** The factor of Σx² (0.1 by default); a list adds one term per factor, each with its own ctx.addLoss call. */
  rate?: number | readonly number[];
  /** Divides each term by the batch size, the batch's mean (as the docs' KL term averages), instead of the sum as it is. */
  batchMean?: boolean;
  /** What the layer declares: `addsLosses` (TimeDistributed then runs it once per step) and `couplesSamples`. */
  addsLosses?: boolean;
  couplesSamples?: boolean;
}

/** Passes its input through and adds `rate`·Σx² over the batch (a sum unless `batchMean`), one term per rate. */
export class SquareSumLoss extends km.layers.Layer {
  readonly className = 'SquareSumLoss';
  readonly rates: readonly number[];
  readonly #batchMean: boolean;
  readonly #declares: { addsLosses: boolean; couplesSamples: boolean };
  /** How many times `forward` ran. */
  forwards = 0;
  #size = 0;

  constructor(args: SquareSumLossArgs = {}) {
    const { rate = 0.1, batchMean = false, addsLosses = false, couplesSamples = false, ...rest } = args;
    super(rest, 'SquareSumLoss');
    this.rates = typeof rate === 'number' ? [rate] : rate;
    this.#batchMean = batchMean;
    this.#declares = { addsLosses, couplesSamples };
  }

  override get addsLosses(): boolean {
    return this.#declares.addsLosses;
  }

  override get couplesSamples(): boolean {
    return this.#declares.couplesSamples;
  }

  computeOutputShape([shape]: readonly km.layers.Shape[]): km.layers.Shape {
    return shape;
  }

  protected override build([shape]: readonly km.layers.Shape[]): void {
    this.#size = sizeOf(shape);
  }

  override workspaceSize(batch: number): number {
    return batch * this.#size + this.rates.length;
  }

  forward(ctx: km.layers.ForwardContext): void {
    this.forwards++;
    const { backend, workspace } = ctx;
    const n = ctx.batch * this.#size;
    // Views of exactly the lengths the kernels take: tfjs' kernels read whole buffers.
    const squares = backend.view(workspace, 0, n);
    backend.copy(ctx.inputs[0], ctx.output, n);
    backend.mul(ctx.inputs[0], ctx.inputs[0], squares, n);
    this.rates.forEach((rate, k) => {
      const term = backend.view(workspace, n + k, 1);
      backend.columnSum(squares, term, n, 1, false);
      backend.scale(term, 1, this.#scale(rate, ctx.batch));
      ctx.addLoss(term);
    });
  }

  backward(ctx: km.layers.BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const n = ctx.batch * this.#size;
    ctx.backend.copy(ctx.inputs[0], dx, n);
    ctx.backend.scale(dx, n, 2 * this.rates.reduce((sum, rate) => sum + this.#scale(rate, ctx.batch), 0));
    ctx.backend.add(dx, ctx.outputGrad, dx, n);
  }

  #scale(rate: number, batch: number): number {
    return this.#batchMean ? rate / batch : rate;
  }
}
