/** The options of the float64 multi-head attention reference, as the layer takes them. */
export interface AttentionReferenceOptions {
  heads: number;
  /** Key and value heads (default heads); query head h reads key/value head ⌊h·keyValueHeads/heads⌋, as Keras' repeat gives. */
  keyValueHeads?: number;
  keyDim: number;
  valueDim: number;
  outputDim: number;
  useBias: boolean;
  causal: boolean;
  /**
   * Keras' combined attention mask of this sample (true: query step i may attend to value step j),
   * applied as Keras' masked softmax does in float32: a masked score becomes fround(s − 1e9), so a
   * row with every step masked comes out uniform, as it does in Keras.
   */
  allowed?: (i: number, j: number) => boolean;
  /** When given, receives the attention weights (softmax, before dropout) as `[heads][tq][tv]`. */
  scores?: number[][][];
}

/**
 * Multi-head attention of one sample in float64, written from Keras' definition with plain loops:
 * `weights` are [qKernel, qBias, kKernel, kBias, vKernel, vBias, oKernel, oBias] (biases absent
 * without useBias) as flat arrays in Keras' layouts, `query` `[tq][fq]`, `value` and `key` `[tv][f]`.
 */
export function attentionReference(query: number[][], value: number[][], key: number[][], weights: number[][], o: AttentionReferenceOptions): number[][] {
  const at = (p: number) => weights[o.useBias ? 2 * p : p];
  const biasOf = (p: number) => (o.useBias ? weights[2 * p + 1] : null);
  const kvHeads = o.keyValueHeads ?? o.heads;
  // x [steps][f] · kernel [f, heads, dim] + bias [heads, dim] → [steps][heads·dim].
  const project = (x: number[][], p: number, heads: number, dim: number) =>
    x.map((row) =>
      Array.from({ length: heads * dim }, (_, j) => row.reduce((s, v, f) => s + v * at(p)[f * heads * dim + j], biasOf(p)?.[j] ?? 0)),
    );
  const q = project(query, 0, o.heads, o.keyDim);
  const k = project(key, 1, kvHeads, o.keyDim);
  const v = project(value, 2, kvHeads, o.valueDim);
  const context = query.map(() => new Array<number>(o.heads * o.valueDim).fill(0));
  for (let h = 0; h < o.heads; h++) {
    const g = Math.floor((h * kvHeads) / o.heads);
    for (let i = 0; i < query.length; i++) {
      const scores = value.map((_, j) => {
        if (o.causal && j > i) return -Infinity;
        let s = 0;
        for (let d = 0; d < o.keyDim; d++) s += q[i][h * o.keyDim + d] * k[j][g * o.keyDim + d];
        s /= Math.sqrt(o.keyDim);
        return o.allowed && !o.allowed(i, j) ? Math.fround(Math.fround(s) - 1e9) : s;
      });
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const total = e.reduce((a, b) => a + b, 0);
      if (o.scores) ((o.scores[h] ??= [])[i] = e.map((w) => w / total));
      e.forEach((w, j) => {
        for (let d = 0; d < o.valueDim; d++) context[i][h * o.valueDim + d] += (w / total) * v[j][g * o.valueDim + d];
      });
    }
  }
  return context.map((row) =>
    Array.from({ length: o.outputDim }, (_, u) => row.reduce((s, c, j) => s + c * at(3)[j * o.outputDim + u], biasOf(3)?.[u] ?? 0)),
  );
}
