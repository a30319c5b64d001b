import * as km from '../index.js';
import { Random } from '../utils/random.js';

/** Token sequences with a 0/1 label per sequence. */
export interface DuplicateTask {
  readonly x: km.Tensor;
  readonly y: km.Tensor;
}

/**
 * `n` sequences of `length` token ids from `vocabulary`, half of them with all tokens distinct and
 * half with exactly one token repeated (label 1): a task that needs comparing tokens with each
 * other, which token counts summed over the sequence cannot express when `vocabulary` exceeds the
 * model's width.
 */
export function duplicateTokenTask(n: number, length: number, vocabulary: number, seed: number): DuplicateTask {
  const random = new Random(seed);
  const ids = new Int32Array(n * length);
  const labels = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    const pool = Array.from({ length: vocabulary }, (_, i) => i);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    const sequence = pool.slice(0, length);
    if (s % 2 === 1) {
      const from = Math.floor(random.next() * length);
      let to = Math.floor(random.next() * (length - 1));
      if (to >= from) to++;
      sequence[to] = sequence[from];
      labels[s] = 1;
    }
    ids.set(sequence, s * length);
  }
  return { x: km.tensor(ids, [n, length], 'int32'), y: km.tensor(labels, [n, 1]) };
}

/** Sizes of {@link transformerClassifier}. */
export interface TransformerSizes {
  length: number;
  vocabulary: number;
  embedDim: number;
  heads: number;
  /** With it, GroupedQueryAttention (`heads` query heads sharing these key/value heads) in place of MultiHeadAttention. */
  keyValueHeads?: number;
  feedForward: number;
}

/**
 * Keras' "text classification with Transformer" block, functional: Embedding plus PositionEmbedding, self-attention,
 * Dropout, Add, LayerNormalization, Dense(relu), Dense, Add, LayerNormalization, then
 * GlobalAveragePooling1D and a sigmoid Dense. With `attention: false` the attention branch is left
 * out (the same model otherwise, for comparison).
 */
export function transformerClassifier(s: TransformerSizes, attention = true): km.LayersModel {
  const tokens = km.input({ shape: [s.length] });
  const embedded = km.layers.embedding({ inputDim: s.vocabulary, outputDim: s.embedDim }).apply(tokens);
  const positions = km.layers.positionEmbedding({ sequenceLength: s.length }).apply(embedded);
  const x = km.layers.add().apply([embedded, positions]);
  let h = x;
  if (attention) {
    const layer = s.keyValueHeads === undefined
      ? km.layers.multiHeadAttention({ numHeads: s.heads, keyDim: s.embedDim })
      : km.layers.groupQueryAttention({ numQueryHeads: s.heads, numKeyValueHeads: s.keyValueHeads, headDim: s.embedDim });
    const attended = layer.apply([x, x]);
    const dropped = km.layers.dropout({ rate: 0.1 }).apply(attended);
    h = km.layers.layerNormalization({ epsilon: 1e-6 }).apply(km.layers.add().apply([x, dropped]));
  }
  const ff = km.layers.dense({ units: s.feedForward, activation: 'relu' }).apply(h);
  const back = km.layers.dense({ units: s.embedDim }).apply(ff);
  const out = km.layers.layerNormalization({ epsilon: 1e-6 }).apply(km.layers.add().apply([h, back]));
  const pooled = km.layers.globalAveragePooling1d().apply(out);
  const y = km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(pooled);
  return km.model({ inputs: tokens, outputs: y });
}
