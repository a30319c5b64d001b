import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

/**
 * Float indices as int32 rows of a table of `inputDim` rows, clamped into it (NaN to 0) as the wasm
 * core does: tfjs' gather throws on an index outside the table on the CPU and reads 0 on a GPU.
 */
export function tableRows(tf: Tf, indices: tfc.Tensor, inputDim: number): tfc.Tensor1D {
  const floored = tf.floor(tf.reshape(indices, [-1]));
  const finite = tf.where(tf.isNaN(floored), tf.zerosLike(floored), floored);
  return tf.cast(tf.clipByValue(finite, 0, inputDim - 1), 'int32') as tfc.Tensor1D;
}

/** The table's gradient: each row of `dy` summed into row indices[i] (scatterND adds duplicates, and runs on tfjs-wasm). */
export function scatterRows(tf: Tf, indices: tfc.Tensor, dy: tfc.Tensor2D, inputDim: number): tfc.Tensor {
  const rows = tf.reshape(tableRows(tf, indices, inputDim), [-1, 1]);
  return tf.scatterND(rows, dy, [inputDim, dy.shape[1]]);
}
