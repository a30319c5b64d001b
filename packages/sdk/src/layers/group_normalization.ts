import type { GroupNormGeometry } from '../backend/backend.js';
import { checkNumberOption } from '../utils/options.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ChannelLayout, ChannelsLastBody, checkChannelAxisOption } from './channel_axis.js';
import { GammaBetaNormalization, type GammaBetaArgs } from './gamma_beta_normalization.js';
import { checkOptions } from '../utils/options.js';
import { GROUP_NORMALIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link GroupNormalization}, with Keras 3's defaults. */
export interface GroupNormalizationArgs extends GammaBetaArgs {
  /** How many groups the channels split into (default 32); must divide the channel count. -1 means one per channel (instance normalization). */
  groups?: number;
  /** The channel axis, counting the batch as 0: -1 (the default, channels-last) or any other, e.g. 1 for channels-first. */
  axis?: number;
}

/**
 * Keras 3's GroupNormalization: the channels (the `axis`, by default the last) split into `groups` equal runs, and each
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
  /** The input's (and output's) layout once built, and how the kernels run on it channels-last. */
  #body: ChannelsLastBody<ChannelLayout> | null = null;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args, 'GroupNormalization');
    this.#groups = checkNumberOption(args.groups ?? 32, 'groups', this.where, (v) => Number.isInteger(v) && (v >= 1 || v === -1), 'a positive integer that divides the channel count, or -1 for one group per channel');
    this.axis = checkChannelAxisOption(args.axis, this.where);
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

  /** Checks the input against axis and groups; returns the layout and the number of groups. */
  #resolveGroups(shape: Shape): [ChannelLayout, number] {
    if (shape.length < 1) {
      throw new Error(`${this.where} needs inputs of rank 2 or more (batch included) with a channel axis, e.g. (None, channels) or (None, h, w, channels). Received: input shape ${formatShape(shape)}.`);
    }
    const layout = new ChannelLayout(this.axis, shape, this.where);
    const channels = layout.channels;
    const groups = this.#groups === -1 ? channels : this.#groups;
    if (groups > channels || channels % groups !== 0) {
      throw new Error(
        `${this.where}: groups must divide the number of channels (${channels}, axis ${layout.axis} of input shape ${formatShape(shape)}). Received: groups=${this.#groups}. ` +
          `Pick a divisor of ${channels}, e.g. ${largestDivisorUpTo(channels, groups)}, or -1 for one group per channel.`,
      );
    }
    return [layout, groups];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [layout, groups] = this.#resolveGroups(singleInput(this, inputShapes));
    [this.#body, this.#groups] = [new ChannelsLastBody(layout, layout), groups];
    this.addGammaBeta([layout.channels]);
  }

  get #built(): ChannelsLastBody<ChannelLayout> {
    if (!this.#body) throw new Error(`${this.where} is used before it is built.`);
    return this.#body;
  }

  /** Each (sample, group)'s mean and 1/√(var + ε), kept from the forward to the backward pass, then the layout's scratch. */
  override workspaceSize(batch: number): number {
    return 2 * batch * this.#groups + this.#built.scratchSize(batch);
  }

  #geometry(batch: number): GroupNormGeometry {
    const { channels, size } = this.#built.input;
    return { batch, spatial: size / channels, channels, groups: this.#groups };
  }

  forward(ctx: ForwardContext): void {
    const { backend, workspace, batch } = ctx;
    const stats = batch * this.#groups;
    const [gamma, beta] = this.gammaBeta(ctx.weights);
    const [mean, invStd] = [backend.view(workspace, 0, stats), backend.view(workspace, stats, stats)];
    this.#built.forward(ctx, 2 * stats, ({ inputs: [x], output: y }) => backend.groupNormForward(x, y, gamma, beta, mean, invStd, this.#geometry(batch), this.epsilon));
  }

  backward(ctx: BackwardContext): void {
    const { backend, workspace, batch } = ctx;
    const stats = batch * this.#groups;
    const [gamma] = this.gammaBeta(ctx.weights);
    // A frozen layer only passes the gradient on: the kernel skips dGamma and dBeta given 0.
    const [dGamma, dBeta] = ctx.weightGradsNeeded ? this.gammaBeta(ctx.weightGrads) : [0, 0];
    const [mean, invStd] = [backend.view(workspace, 0, stats), backend.view(workspace, stats, stats)];
    this.#built.backward(ctx, 2 * stats, ({ inputs: [x], outputGrad: dy, inputGrads: [dx] }) => backend.groupNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, this.#geometry(batch)));
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

registerBuiltinLayer('GroupNormalization', (config) => new GroupNormalization(config as GroupNormalizationArgs));

/**
 * Normalises each sample's channel groups (last axis split into `groups`) over all positions, as Keras 3's
 * GroupNormalization; `groups: -1` is instance normalization.
 * @example `km.layers.groupNormalization({ groups: 8 })`
 */
export function groupNormalization(args?: GroupNormalizationArgs): GroupNormalization {
  checkOptions(args, GROUP_NORMALIZATION_OPTIONS, 'km.layers.groupNormalization');
  return new GroupNormalization(args);
}
