/** The options of the float64 reference of Keras' Attention and AdditiveAttention. */
export interface ScoreAttentionReferenceOptions {
  /** 'dot' and 'concat': Attention's score modes; 'additive': AdditiveAttention's score. */
  mode: 'dot' | 'concat' | 'additive';
  /** Attention's scalar `scale`, AdditiveAttention's vector; absent without useScale. */
  scale?: number | readonly number[];
  /** Attention's `concat_score_weight` ('concat' only). */
  concatScoreWeight?: number;
  causal?: boolean;
  /** The value's padding mask (false: a padded step). */
  valueMask?: readonly boolean[];
  /** The query's padding mask (false: a padded step, whose output is 0). */
  queryMask?: readonly boolean[];
  /** When given, receives the attention weights `[tq][tv]`. */
  scores?: number[][];
}

/**
 * One sample of Keras 3's Attention / AdditiveAttention in float64 with plain loops, written from
 * Keras' `_calculate_scores`, `_calculate_score_mask` and `_apply_scores`: a masked score becomes
 * fround(s − 1e9), as Keras' float32 subtraction gives. `query` `[tq][f]`, `value` `[tv][fv]`, `key` `[tv][f]`.
 */
export function scoreAttentionReference(query: number[][], value: number[][], key: number[][], o: ScoreAttentionReferenceOptions): number[][] {
  const score = (q: number[], k: number[]): number => {
    let s = 0;
    for (let d = 0; d < q.length; d++) {
      if (o.mode === 'dot') s += q[d] * k[d];
      else if (o.mode === 'concat') s += Math.tanh(((o.scale as number | undefined) ?? 1) * (q[d] + k[d]));
      else s += ((o.scale as readonly number[] | undefined)?.[d] ?? 1) * Math.tanh(q[d] + k[d]);
    }
    if (o.mode === 'dot') return s * ((o.scale as number | undefined) ?? 1);
    return o.mode === 'concat' ? s * (o.concatScoreWeight ?? 1) : s;
  };
  return query.map((q, i) => {
    const scores = key.map((k, j) => {
      const s = score(q, k);
      const allowed = (!o.causal || j <= i) && (o.valueMask?.[j] ?? true);
      return allowed ? s : Math.fround(s - 1e9);
    });
    const top = Math.max(...scores);
    const e = scores.map((s) => Math.exp(s - top));
    const total = e.reduce((a, b) => a + b, 0);
    const weights = e.map((v) => v / total);
    o.scores?.push(weights);
    const keep = o.queryMask?.[i] === false ? 0 : 1;
    return value[0].map((_, c) => keep * weights.reduce((a, w, j) => a + w * value[j][c], 0));
  });
}
