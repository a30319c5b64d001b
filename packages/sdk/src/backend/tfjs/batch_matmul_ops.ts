import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

/** The flat product of `batch` matrix pairs laid out one after another, as one batched tfjs matMul. */
export function batchMatMulTensor(tf: Tf, a: tfc.Tensor1D, b: tfc.Tensor1D, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean): tfc.Tensor1D {
  const left = tf.reshape(a, transA ? [batch, k, m] : [batch, m, k]) as tfc.Tensor3D;
  const right = tf.reshape(b, transB ? [batch, n, k] : [batch, k, n]) as tfc.Tensor3D;
  return tf.reshape(tf.matMul(left, right, transA, transB), [batch * m * n]);
}
