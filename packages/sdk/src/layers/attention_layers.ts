import { checkOptions } from '../utils/options.js';
import { MULTI_HEAD_ATTENTION_OPTIONS } from './layer_options.js';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi_head_attention.js';

/**
 * Multi-head attention (Keras 3's `MultiHeadAttention`) over `[query, value]` or `[query, value, key]`
 * sequences; `apply([x, x])` is self-attention.
 * @example `km.layers.multiHeadAttention({ numHeads: 2, keyDim: 16 }).apply([x, x])`
 */
export function multiHeadAttention(args: MultiHeadAttentionArgs): MultiHeadAttention {
  checkOptions(args, MULTI_HEAD_ATTENTION_OPTIONS, 'km.layers.multiHeadAttention');
  return new MultiHeadAttention(args);
}

export { MultiHeadAttention, type MultiHeadAttentionArgs };
