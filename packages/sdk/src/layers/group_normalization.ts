import type { GroupNormGeometry } from '../backend/backend.js';
import { shapeSize } from '../tensor.js';
import { checkNumberOption } from '../utils/options.js';
import { formatShape, singleInput, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { GammaBetaNormalization, type GammaBetaArgs } from './gamma_beta_normalization.js';

/** Options of {@link GroupNormalization}, with Keras 3's defaults. */
export interface GroupNormalizationArgs extends GammaBetaArgs {
  /** How many groups the channels split into (default 32); must divide the channel count. -1 means one per channel (instance normalization). */
  groups?: number;
  /** The channel axis, counting the batch as 0 (default -1). kerasm supports the last axis only (channels-last). */
  axis?: number;
}

/**
 * Keras 3's GroupNormalization: the channels (last axis) split into `groups` equal runs, and each
 * sample's group is normalised to zero mean and unit (biased) variance over all its positions and
 * channels, then scaled by `gamma` and shifted by `beta` (one per channel). Unlike batch
 * normalization it does not depend on the batch, so it suits small batches; `groups: 1` normalises
 * each sample over all its values (layer normalization of the whole sample), `groups: -1` each
 * channel alone (instance normalization). The same in training and inference.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, inputShape: [28, 28, 1] }),
 *   km.layers.groupNormalization({ groups: 4 }),
 *   km.layers.activation({ activation: 'relu' }),
 *   km.layers.flatten(),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export class GroupNormalization extends GammaBetaNormalization {
  // As Keras: a mask passes through unchanged (masked steps still count in the statistics).
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'GroupNormalization';
  readonly axis: number;
  /** As given; -1 (one group per channel) becomes the channel count once built, as Keras does. */
  #groups: number;
  /** Positions per sample and channels, once built. */
  #spatial = 0;
  #channels = 0;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args, 'GroupNormalization');
    this.#groups = checkNumberOption(args.groups ?? 32, 'groups', this.where, (v) => Number.isInteger(v) && (v >= 1 || v === -1), 'a positive integer that divides the channel count, or -1 for one group per channel');
    this.axis = checkNumberOption(args.axis ?? -1, 'axis', this.where, Number.isInteger, 'an integer, the channel axis (-1, the last)');
  }

  /** The number of groups: as given until built, then resolved (-1 becomes the channel count). */
  get groups(): number {
    return this.#groups;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    this.#resolveGroups(shape);
    return shape;
  }

  /** Checks the input against axis and groups; returns the number of groups. */
  #resolveGroups(shape: Shape): number {
    const rank = shape.length + 1;
    if (rank < 2) {
      throw new Error(`${this.where} needs inputs of rank 2 or more (batch included) with the channels last, e.g. (None, channels) or (None, h, w, channels). Received: input shape ${formatShape(shape)}.`);
    }
    if (this.axis !== -1 && this.axis !== rank - 1) {
      throw new Error(
        `${this.where}: kerasm supports the last axis (-1, channels-last) as the channel axis. Received: axis=${this.axis} for input shape ${formatShape(shape)}. ` +
          `Use axis: -1, with the channels moved last (e.g. km.layers.permute) if they are not.`,
      );
    }
    const channels = shape[shape.length - 1];
    const groups = this.#groups === -1 ? channels : this.#groups;
    if (groups > channels || channels % groups !== 0) {
      throw new Error(
        `${this.where}: groups must divide the number of channels (${channels}, the last axis of input shape ${formatShape(shape)}). Received: groups=${this.#groups}. ` +
          `Pick a divisor of ${channels}, e.g. ${largestDivisorUpTo(channels, groups)}, or -1 for one group per channel.`,
      );
    }
    return groups;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    this.#groups = this.#resolveGroups(shape);
    this.#channels = shape[shape.length - 1];
    this.#spatial = shapeSize(shape) / this.#channels;
    this.addGammaBeta([this.#channels]);
  }

  /** Each (sample, group)'s mean and 1/√(var + ε), kept from the forward to the backward pass. */
  override workspaceSize(batch: number): number {
    return 2 * batch * this.#groups;
  }

  #geometry(batch: number): GroupNormGeometry {
    return { batch, spatial: this.#spatial, channels: this.#channels, groups: this.#groups };
  }

  forward(ctx: ForwardContext): void {
    const { backend, workspace } = ctx;
    const stats = ctx.batch * this.#groups;
    const [gamma, beta] = this.gammaBeta(ctx.weights);
    backend.groupNormForward(ctx.inputs[0], ctx.output, gamma, beta, backend.view(workspace, 0, stats), backend.view(workspace, stats, stats), this.#geometry(ctx.batch), this.epsilon);
  }

  backward(ctx: BackwardContext): void {
    const { backend, workspace } = ctx;
    const stats = ctx.batch * this.#groups;
    const [gamma] = this.gammaBeta(ctx.weights);
    const [dGamma, dBeta] = this.gammaBeta(ctx.weightGrads);
    backend.groupNormBackward(ctx.inputs[0], ctx.outputGrad, ctx.inputGrads[0], gamma, backend.view(workspace, 0, stats), backend.view(workspace, stats, stats), dGamma, dBeta, this.#geometry(ctx.batch));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), groups: this.#groups, axis: this.axis, ...this.gammaBetaConfig() };
  }
}

/** The largest divisor of n not above limit, for the error's suggestion. */
function largestDivisorUpTo(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

registerLayer('GroupNormalization', (config) => new GroupNormalization(config as GroupNormalizationArgs));
