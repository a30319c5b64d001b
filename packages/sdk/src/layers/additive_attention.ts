import { getInitializer } from '../initializers/initializers.js';
import { checkBooleanOption } from '../utils/options.js';
import { registerBuiltinLayer } from './registry.js';
import { ScoreAttentionLayer, type ScoreAttentionArgs, type ScoreWeightRole } from './score_attention_layer.js';
import type { ScoreFunction } from './score_attention_pass.js';
import { checkOptions } from '../utils/options.js';
import { ADDITIVE_ATTENTION_OPTIONS } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link AdditiveAttention}, with Keras 3's names and defaults. */
export interface AdditiveAttentionArgs extends ScoreAttentionArgs {
  /** Whether a learned vector `scale` `[features]` (glorotUniform) weighs the tanh terms (default true). */
  useScale?: boolean;
}

/**
 * Additive attention, a.k.a. Bahdanau-style attention, as Keras 3's `AdditiveAttention`: the scores
 * Σ_d scale[d]·tanh(q[d] + k[d]) (a plain sum without `useScale`), their softmax over the value
 * steps applied to the value. Inputs and masks as {@link Attention}'s: `[query, value]` or
 * `[query, value, key]`, query and key of equal features; the output is `[querySteps, valueFeatures]`.
 *
 * @example
 * ```ts
 * const decoder = km.input({ shape: [6, 32] });
 * const encoder = km.input({ shape: [10, 32] });
 * const context = km.layers.additiveAttention().apply([decoder, encoder]); // [6, 32]
 * ```
 */
export class AdditiveAttention extends ScoreAttentionLayer {
  readonly className = 'AdditiveAttention';
  readonly useScale: boolean;

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args, 'AdditiveAttention');
    this.useScale = checkBooleanOption(args.useScale ?? true, 'useScale', this.where);
  }

  protected get scoreFunction(): ScoreFunction {
    return { kind: 'tanh', outer: false, inner: false, vector: this.useScale };
  }

  protected get weightRoles(): readonly ScoreWeightRole[] {
    return this.useScale ? ['vector'] : [];
  }

  protected addScoreWeights(features: number): void {
    if (this.useScale) this.addWeight('scale', [features], getInitializer('glorotUniform'));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useScale: this.useScale };
  }
}

registerBuiltinLayer('AdditiveAttention', (config) => new AdditiveAttention(config as unknown as AdditiveAttentionArgs));

/**
 * Additive (Bahdanau-style) attention, Keras 3's `AdditiveAttention`, over `[query, value]` or `[query, value, key]`.
 * @example `km.layers.additiveAttention().apply([decoderStates, encoderStates])`
 */
export function additiveAttention(args: AdditiveAttentionArgs & { returnAttentionScores: true }): ReturnsList<AdditiveAttention, ['output', 'scores']>;
export function additiveAttention(args?: AdditiveAttentionArgs & { returnAttentionScores?: false }): AdditiveAttention;
export function additiveAttention(args: AdditiveAttentionArgs): MayReturnList<AdditiveAttention>;
export function additiveAttention(args: AdditiveAttentionArgs = {}): AdditiveAttention {
  checkOptions(args, ADDITIVE_ATTENTION_OPTIONS, 'km.layers.additiveAttention');
  return new AdditiveAttention(args);
}
