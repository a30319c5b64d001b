import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-layers 4.22's Orthogonal initializer calls chained tensor methods (`t.flatten()`,
 * `t.stridedSlice()`, `t.sign()`, `t.transpose()`, `t.reshape()`), which tfjs-core alone does
 * not register (the union package `@tensorflow/tfjs` does; the test suite depends on the parts).
 * Without them any tfjs LSTM/GRU/SimpleRNN with its default recurrent initializer fails to build:
 * "rMat.flatten is not a function". This registers those five as the union package would.
 */
export function registerTfjsChainedOpsForOrthogonal(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const define = (name: string, fn: (this: tf.Tensor, ...args: never[]) => tf.Tensor) => {
    if (typeof proto[name] !== 'function') proto[name] = fn;
  };
  define('flatten', function () { return tf.reshape(this, [this.size]); });
  define('stridedSlice', function (begin: number[], end: number[], strides: number[]) { return tf.stridedSlice(this, begin, end, strides); });
  define('sign', function () { return tf.sign(this); });
  define('transpose', function (perm?: number[]) { return tf.transpose(this, perm); });
  define('reshape', function (shape: number[]) { return tf.reshape(this, shape); });
}
