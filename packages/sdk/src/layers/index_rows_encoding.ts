// Keras' encodings of lookup indices computed in plain JavaScript, for the string layers that run outside the graph.
import type { IndexOutputMode } from './index_output.js';

/**
 * Encodes rows of indices (one row per sample; -1 marks a token left out, as Keras drops the mask
 * token) into `rows.length × depth` values: 'multi_hot' 1 where an index occurs, 'count' its
 * occurrences, 'tf_idf' the counts times `idf[index]`. 'one_hot' takes rows of one index each.
 */
export function encodeIndexRows(rows: readonly (readonly number[])[], mode: Exclude<IndexOutputMode, 'int'>, depth: number, idf?: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * depth);
  rows.forEach((row, r) => {
    for (const index of row) {
      if (index < 0) continue;
      const at = r * depth + index;
      out[at] = mode === 'multi_hot' || mode === 'one_hot' ? 1 : out[at] + 1;
    }
    if (mode === 'tf_idf') for (let c = 0; c < depth; c++) out[r * depth + c] *= idf![c];
  });
  return out;
}
