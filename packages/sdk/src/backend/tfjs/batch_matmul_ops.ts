import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

/** The flat product of `batch` matrix pairs laid out one after another, as one batched tfjs matMul. */
export function batchMatMulTensor(tf: Tf, a: tfc.Tensor1D, b: tfc.Tensor1D, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean): tfc.Tensor1D {
  const left = tf.reshape(a, transA ? [batch, k, m] : [batch, m, k]) as tfc.Tensor3D;
  const right = tf.reshape(b, transB ? [batch, n, k] : [batch, k, n]) as tfc.Tensor3D;
  return tf.reshape(tf.matMul(left, right, transA, transB), [batch * m * n]);
}

/** Blocks of a [rows, groups·cols] matrix as the batch [groups, rows, cols]. */
function groupBlocks(tf: Tf, x: tfc.Tensor1D, groups: number, rows: number, cols: number): tfc.Tensor3D {
  return tf.transpose(tf.reshape(x, [rows, groups, cols]), [1, 0, 2]);
}

/** Backend.groupedMatMul's product as one batched tfjs matMul over the column blocks, laid out as C: [m, groups·n]. */
export function groupedMatMulTensor(tf: Tf, a: tfc.Tensor1D, b: tfc.Tensor1D, groups: number, m: number, n: number, k: number, transA: boolean, transB: boolean): tfc.Tensor1D {
  const left = transA ? groupBlocks(tf, a, groups, k, m) : groupBlocks(tf, a, groups, m, k);
  const right = transB ? groupBlocks(tf, b, groups, n, k) : groupBlocks(tf, b, groups, k, n);
  return tf.reshape(tf.transpose(tf.matMul(left, right, transA, transB), [1, 0, 2]), [m * groups * n]);
}
