import { getInitializer } from '../initializers/initializers.js';
import { checkBooleanOption } from '../utils/options.js';
import { registerBuiltinLayer } from './registry.js';
import { ScoreAttentionLayer, type ScoreAttentionArgs, type ScoreWeightRole } from './score_attention_layer.js';
import type { ScoreFunction } from './score_attention_pass.js';
import { checkOptions } from '../utils/options.js';
import { ATTENTION_OPTIONS } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link Attention}, with Keras 3's names and defaults. */
export interface AttentionArgs extends ScoreAttentionArgs {
  /** Whether a learned scalar `scale` (initially 1) multiplies the scores (default false). */
  useScale?: boolean;
  /**
   * 'dot' (default): scores q·kᵀ. 'concat': Σ tanh(q + k) over the features, times a learned
   * scalar `concat_score_weight` (with useScale: Σ tanh(scale·(q + k))).
   */
  scoreMode?: 'dot' | 'concat';
}

/**
 * Dot-product attention, a.k.a. Luong-style attention, as Keras 3's `Attention`: the weights
 * softmax(q·kᵀ) over the value steps (times a learned scale with `useScale`), applied to the value.
 * Apply it to `[query, value]` or `[query, value, key]` (key defaults to value), each
 * `[steps, features]` with query and key of equal features; the output is `[querySteps, valueFeatures]`.
 * A padded value step (an `embedding({ maskZero: true })` upstream) gets no weight; a padded query
 * step's output is 0 and its mask passes on.
 *
 * @example
 * ```ts
 * const query = km.input({ shape: [8, 16] });
 * const value = km.input({ shape: [12, 16] });
 * const context = km.layers.attention().apply([query, value]); // [8, 16]
 * // The weights as a second output, and a causal mask for self-attention:
 * const [out, scores] = km.layers.attention({ useCausalMask: true, returnAttentionScores: true })
 *   .apply([query, query]); // scores: [8, 8]
 * ```
 */
export class Attention extends ScoreAttentionLayer {
  readonly className = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';

  constructor(args: AttentionArgs = {}) {
    super(args, 'Attention');
    this.useScale = checkBooleanOption(args.useScale ?? false, 'useScale', this.where);
    const mode = args.scoreMode ?? 'dot';
    if (mode !== 'dot' && mode !== 'concat') {
      throw new Error(`${this.where}: scoreMode must be 'dot' or 'concat'. Received: scoreMode=${JSON.stringify(args.scoreMode)}. For Bahdanau-style attention with a learned vector, use km.layers.additiveAttention().`);
    }
    this.scoreMode = mode;
  }

  protected get scoreFunction(): ScoreFunction {
    return this.scoreMode === 'dot'
      ? { kind: 'dot', outer: this.useScale, inner: false, vector: false }
      : { kind: 'tanh', outer: true, inner: this.useScale, vector: false };
  }

  // Keras adds `scale` first, then `concat_score_weight`.
  protected get weightRoles(): readonly ScoreWeightRole[] {
    const scale: ScoreWeightRole[] = this.useScale ? [this.scoreMode === 'dot' ? 'outer' : 'inner'] : [];
    return this.scoreMode === 'concat' ? [...scale, 'outer'] : scale;
  }

  protected addScoreWeights(): void {
    if (this.useScale) this.addWeight('scale', [], getInitializer('ones'));
    if (this.scoreMode === 'concat') this.addWeight('concat_score_weight', [], getInitializer('ones'));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useScale: this.useScale, scoreMode: this.scoreMode };
  }
}

registerBuiltinLayer('Attention', (config) => new Attention(config as unknown as AttentionArgs));

/**
 * Dot-product (Luong-style) attention, Keras 3's `Attention`, over `[query, value]` or
 * `[query, value, key]`; `scoreMode: 'concat'` scores with tanh(q + k) instead.
 * @example `km.layers.attention({ useScale: true }).apply([decoderStates, encoderStates])`
 */
export function attention(args: AttentionArgs & { returnAttentionScores: true }): ReturnsList<Attention, ['output', 'scores']>;
export function attention(args?: AttentionArgs & { returnAttentionScores?: false }): Attention;
export function attention(args: AttentionArgs): MayReturnList<Attention>;
export function attention(args: AttentionArgs = {}): Attention {
  checkOptions(args, ATTENTION_OPTIONS, 'km.layers.attention');
  return new Attention(args);
}
