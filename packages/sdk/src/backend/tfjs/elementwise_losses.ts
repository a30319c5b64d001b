import type * as tfc from '@tensorflow/tfjs-core';
import type { ElementwiseLossKind } from '../backend.js';

type Tf = typeof tfc;
const EPS = 1e-7;

/**
 * The per-element losses as tfjs ops: [loss terms, dLoss/dp] for predictions `y` and targets `t`,
 * the same formulas as core-wasm's `elementwiseLoss` kernel.
 */
export function elementwiseLossTerms(tf: Tf, kind: ElementwiseLossKind, y: tfc.Tensor, target: tfc.Tensor, param: number): [tfc.Tensor, tfc.Tensor] {
  const d = tf.sub(y, target);
  switch (kind) {
    case 'meanAbsoluteError':
      return [tf.abs(d), tf.sign(d)];
    case 'meanAbsolutePercentageError': {
      const scale = tf.div(100, tf.maximum(tf.abs(target), EPS));
      return [tf.mul(tf.abs(d), scale), tf.mul(tf.sign(d), scale)];
    }
    case 'meanSquaredLogarithmicError': {
      const diff = tf.sub(tf.log1p(tf.maximum(y, EPS)), tf.log1p(tf.maximum(target, EPS)));
      const grad = tf.where(tf.greater(y, EPS), tf.div(tf.mul(diff, 2), tf.add(y, 1)), tf.zerosLike(y));
      return [tf.square(diff), grad];
    }
    case 'huber': {
      const a = tf.abs(d);
      const small = tf.lessEqual(a, param);
      return [
        tf.where(small, tf.mul(tf.square(d), 0.5), tf.sub(tf.mul(a, param), 0.5 * param * param)),
        tf.where(small, d, tf.mul(tf.sign(d), param)),
      ];
    }
    case 'logCosh': {
      const z = tf.mul(d, -2);
      const softplus = tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
      return [tf.sub(tf.add(d, softplus), Math.LN2), tf.tanh(d)];
    }
    case 'poisson':
      return [tf.sub(y, tf.mul(target, tf.log(tf.add(y, EPS)))), tf.sub(1, tf.div(target, tf.add(y, EPS)))];
    case 'kullbackLeiblerDivergence': {
      const tc = tf.clipByValue(target, EPS, 1);
      const pc = tf.clipByValue(y, EPS, 1);
      const inside = tf.logicalAnd(tf.greater(y, EPS), tf.less(y, 1));
      return [tf.mul(tc, tf.log(tf.div(tc, pc))), tf.where(inside, tf.neg(tf.div(tc, pc)), tf.zerosLike(y))];
    }
    case 'hinge':
    case 'squaredHinge': {
      // Keras converts {0, 1} labels to {−1, 1} only when the whole batch is 0s and 1s (see core-wasm).
      const binary = tf.cast(tf.all(tf.logicalOr(tf.equal(target, 0), tf.equal(target, 1))), 'float32');
      const signed = tf.add(target, tf.mul(binary, tf.sub(target, 1)));
      const margin = tf.relu(tf.sub(1, tf.mul(signed, y)));
      const active = tf.greater(margin, 0);
      if (kind === 'hinge') return [margin, tf.where(active, tf.neg(signed), tf.zerosLike(y))];
      return [tf.square(margin), tf.where(active, tf.mul(tf.mul(signed, margin), -2), tf.zerosLike(y))];
    }
    case 'binaryCrossentropyFromLogits': {
      const smoothed = tf.add(tf.mul(target, 1 - param), 0.5 * param);
      const loss = tf.add(tf.sub(tf.relu(y), tf.mul(y, smoothed)), tf.log1p(tf.exp(tf.neg(tf.abs(y)))));
      return [loss, tf.sub(tf.sigmoid(y), smoothed)];
    }
  }
}
