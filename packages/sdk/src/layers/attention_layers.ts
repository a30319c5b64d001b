export { additiveAttention, AdditiveAttention, type AdditiveAttentionArgs } from './additive_attention.js';
export { attention, Attention, type AttentionArgs } from './attention.js';
export { groupQueryAttention, GroupedQueryAttention, type GroupedQueryAttentionArgs } from './grouped_query_attention.js';
export { multiHeadAttention, MultiHeadAttention, type MultiHeadAttentionArgs } from './multi_head_attention.js';
export { positionEmbedding, PositionEmbedding, type PositionEmbeddingArgs } from './position_embedding.js';
