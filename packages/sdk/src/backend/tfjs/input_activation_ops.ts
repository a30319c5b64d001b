import type * as tfc from '@tensorflow/tfjs-core';
import type { InputActivationKind } from '../backend.js';

type Tf = typeof tfc;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** Φ(x) = ½(1 + erf(x/√2)), with tf.erf as tfjs-layers' gelu uses it. */
function normalCdf(tf: Tf, x: tfc.Tensor): tfc.Tensor {
  return tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
}

/** tanh(√(2/π)(x + 0.044715x³)), the inner part of the tanh-approximated GELU. */
function geluTanhInner(tf: Tf, x: tfc.Tensor): tfc.Tensor {
  return tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(GELU_CUBIC, tf.mul(x, tf.square(x))))));
}

/** f(x) as tfjs-layers 4.22 computes each of these activations (hard_silu, which it lacks, as Keras 3 does). */
export function activateFromInput(tf: Tf, kind: InputActivationKind, x: tfc.Tensor): tfc.Tensor {
  switch (kind) {
    case 'swish': return tf.mul(x, tf.sigmoid(x));
    case 'gelu': return tf.mul(x, normalCdf(tf, x));
    case 'gelu_new': return tf.mul(tf.mul(0.5, x), tf.add(1, geluTanhInner(tf, x)));
    case 'mish': return tf.mul(x, tf.tanh(tf.softplus(x)));
    case 'hard_silu': return tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6));
    case 'tanh_shrink': return tf.sub(x, tf.tanh(x));
  }
}

/** dy · f'(x) from the forward input x. */
export function activationGradFromInput(tf: Tf, kind: InputActivationKind, x: tfc.Tensor, dy: tfc.Tensor): tfc.Tensor {
  switch (kind) {
    case 'swish': {
      const s = tf.sigmoid(x);
      return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s)))));
    }
    case 'gelu': {
      const density = tf.mul(1 / Math.sqrt(2 * Math.PI), tf.exp(tf.mul(-0.5, tf.square(x))));
      return tf.mul(dy, tf.add(normalCdf(tf, x), tf.mul(x, density)));
    }
    case 'gelu_new': {
      const t = geluTanhInner(tf, x);
      const slope = tf.mul(SQRT_2_OVER_PI, tf.add(1, tf.mul(3 * GELU_CUBIC, tf.square(x))));
      return tf.mul(dy, tf.add(tf.mul(0.5, tf.add(1, t)), tf.mul(tf.mul(0.5, x), tf.mul(tf.sub(1, tf.square(t)), slope))));
    }
    case 'mish': {
      const t = tf.tanh(tf.softplus(x));
      return tf.mul(dy, tf.add(t, tf.mul(x, tf.mul(tf.sub(1, tf.square(t)), tf.sigmoid(x)))));
    }
    case 'hard_silu': {
      const between = tf.cast(tf.logicalAnd(tf.greater(x, -3), tf.less(x, 3)), 'float32');
      const slope = tf.add(tf.mul(between, tf.div(tf.add(tf.mul(x, 2), 3), 6)), tf.cast(tf.greaterEqual(x, 3), 'float32'));
      return tf.mul(dy, slope);
    }
    case 'tanh_shrink': return tf.mul(dy, tf.square(tf.tanh(x)));
  }
}
