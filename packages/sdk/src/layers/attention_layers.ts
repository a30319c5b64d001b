import { checkOptions } from '../utils/options.js';
import { checkRequiredOptions, ADDITIVE_ATTENTION_OPTIONS, ATTENTION_OPTIONS, GROUPED_QUERY_ATTENTION_OPTIONS, MULTI_HEAD_ATTENTION_OPTIONS, POSITION_EMBEDDING_OPTIONS } from './layer_options.js';
import { Attention, type AttentionArgs } from './attention.js';
import { AdditiveAttention, type AdditiveAttentionArgs } from './additive_attention.js';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi_head_attention.js';
import { GroupedQueryAttention, type GroupedQueryAttentionArgs } from './grouped_query_attention.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';
import { PositionEmbedding, type PositionEmbeddingArgs } from './position_embedding.js';

/**
 * Multi-head attention (Keras 3's `MultiHeadAttention`) over `[query, value]` or `[query, value, key]`
 * sequences; `apply([x, x])` is self-attention.
 * @example `km.layers.multiHeadAttention({ numHeads: 2, keyDim: 16 }).apply([x, x])`
 */
export function multiHeadAttention(args: MultiHeadAttentionArgs & { returnAttentionScores: true }): ReturnsList<MultiHeadAttention, ['output', 'scores']>;
export function multiHeadAttention(args: MultiHeadAttentionArgs & { returnAttentionScores?: false }): MultiHeadAttention;
export function multiHeadAttention(args: MultiHeadAttentionArgs): MayReturnList<MultiHeadAttention>;
export function multiHeadAttention(args: MultiHeadAttentionArgs): MultiHeadAttention {
  checkRequiredOptions(args, MULTI_HEAD_ATTENTION_OPTIONS, 'km.layers.multiHeadAttention');
  return new MultiHeadAttention(args);
}

/**
 * Grouped-query attention (Keras 3's `GroupQueryAttention`): `numQueryHeads` query heads sharing
 * `numKeyValueHeads` key/value heads, over `[query, value]` or `[query, value, key]` sequences.
 * @example `km.layers.groupQueryAttention({ headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2 }).apply([x, x])`
 */
export function groupQueryAttention(args: GroupedQueryAttentionArgs & { returnAttentionScores: true }): ReturnsList<GroupedQueryAttention, ['output', 'scores']>;
export function groupQueryAttention(args: GroupedQueryAttentionArgs & { returnAttentionScores?: false }): GroupedQueryAttention;
export function groupQueryAttention(args: GroupedQueryAttentionArgs): MayReturnList<GroupedQueryAttention>;
export function groupQueryAttention(args: GroupedQueryAttentionArgs): GroupedQueryAttention {
  checkRequiredOptions(args, GROUPED_QUERY_ATTENTION_OPTIONS, 'km.layers.groupQueryAttention');
  return new GroupedQueryAttention(args);
}

/**
 * keras_nlp's learned position embedding: the first `steps` rows of a trainable `[sequenceLength, features]`
 * table for every sample; add it to the token embeddings.
 * @example `km.layers.add().apply([x, km.layers.positionEmbedding({ sequenceLength: 64 }).apply(x)])`
 */
export function positionEmbedding(args: PositionEmbeddingArgs): PositionEmbedding {
  checkRequiredOptions(args, POSITION_EMBEDDING_OPTIONS, 'km.layers.positionEmbedding');
  return new PositionEmbedding(args);
}

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

export { Attention, AdditiveAttention, type AttentionArgs, type AdditiveAttentionArgs };
export { MultiHeadAttention, PositionEmbedding, type MultiHeadAttentionArgs, type PositionEmbeddingArgs };
export { GroupedQueryAttention, type GroupedQueryAttentionArgs };
