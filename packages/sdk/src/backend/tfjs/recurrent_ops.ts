import type * as tfc from '@tensorflow/tfjs-core';
import type { FusableActivation } from '../backend.js';
import { activate, activationGradFromOutput } from './activation_ops.js';

type Tf = typeof tfc;

/** One LSTM step as tfjs ops, the same equations as core-wasm's kernel: gates [i | f | c̃ | o] per row. */
export function lstmCellForwardTensors(tf: Tf, z: tfc.Tensor2D, cPrev: tfc.Tensor2D | null, activation: FusableActivation, recurrentActivation: FusableActivation) {
  const [zi, zf, zg, zo] = tf.split(z, 4, 1);
  const [i, f, g, o] = [activate(tf, recurrentActivation, zi), activate(tf, recurrentActivation, zf), activate(tf, activation, zg), activate(tf, recurrentActivation, zo)];
  const c = cPrev ? tf.add(tf.mul(f, cPrev), tf.mul(i, g)) : tf.mul(i, g);
  const ac = activate(tf, activation, c);
  return { gates: tf.concat([i, f, g, o], 1), c, ac, h: tf.mul(o, ac) };
}

/** Its backward pass: the gradient of the gates' pre-activations and of cPrev. */
export function lstmCellBackwardTensors(tf: Tf, gates: tfc.Tensor2D, cPrev: tfc.Tensor2D | null, ac: tfc.Tensor2D, dh: tfc.Tensor2D, dc: tfc.Tensor2D, activation: FusableActivation, recurrentActivation: FusableActivation) {
  const [i, f, g, o] = tf.split(gates, 4, 1);
  const dcTotal = tf.add(dc, activationGradFromOutput(tf, activation, ac, tf.mul(dh, o)));
  const dz = tf.concat([
    activationGradFromOutput(tf, recurrentActivation, i, tf.mul(dcTotal, g)),
    cPrev ? activationGradFromOutput(tf, recurrentActivation, f, tf.mul(dcTotal, cPrev)) : tf.zerosLike(f),
    activationGradFromOutput(tf, activation, g, tf.mul(dcTotal, i)),
    activationGradFromOutput(tf, recurrentActivation, o, tf.mul(dh, ac)),
  ], 1);
  return { dz, dcPrev: tf.mul(dcTotal, f) };
}
