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

/** GRU's gates: recurrentActivation on the z and r blocks (plus p), and r⊙hPrev. */
export function gruGatesForwardTensors(tf: Tf, z: tfc.Tensor2D, p: tfc.Tensor2D | null, hPrev: tfc.Tensor2D | null, recurrentActivation: FusableActivation) {
  const [zr, hh] = tf.split(z, [2 * (z.shape[1] / 3), z.shape[1] / 3], 1);
  const gates = activate(tf, recurrentActivation, p ? tf.add(zr, p) : zr);
  const r = tf.split(gates, 2, 1)[1];
  return { z: tf.concat([gates, hh], 1), rh: hPrev ? tf.mul(r, hPrev) : tf.zerosLike(r) };
}

/** GRU's output: h̃ = activation(z_h + q), h = z⊙hPrev + (1 − z)⊙h̃. */
export function gruOutputForwardTensors(tf: Tf, z: tfc.Tensor2D, q: tfc.Tensor2D | null, hPrev: tfc.Tensor2D | null, activation: FusableActivation) {
  const [g, r, pre] = tf.split(z, 3, 1);
  const hh = activate(tf, activation, q ? tf.add(pre, q) : pre);
  const h = tf.add(hPrev ? tf.mul(g, hPrev) : tf.zerosLike(g), tf.mul(tf.sub(1, g), hh));
  return { z: tf.concat([g, r, hh], 1), h };
}

/** Backward through GRU's output: the z and h̃ blocks' pre-activation gradients, and dh⊙z for hPrev. */
export function gruOutputBackwardTensors(tf: Tf, z: tfc.Tensor2D, hPrev: tfc.Tensor2D | null, dh: tfc.Tensor2D, activation: FusableActivation, recurrentActivation: FusableActivation) {
  const [g, r, hh] = tf.split(z, 3, 1);
  const dz = activationGradFromOutput(tf, recurrentActivation, g, tf.mul(dh, hPrev ? tf.sub(hPrev, hh) : tf.neg(hh)));
  const dHh = activationGradFromOutput(tf, activation, hh, tf.mul(dh, tf.sub(1, g)));
  return { z: tf.concat([dz, r, dHh], 1), dHh, dhPrevPart: tf.mul(dh, g) };
}

/** Backward through GRU's gates: r's pre-activation gradient, both gates' gradients, and dRh⊙r for hPrev. */
export function gruGatesBackwardTensors(tf: Tf, z: tfc.Tensor2D, hPrev: tfc.Tensor2D | null, dRh: tfc.Tensor2D | null, recurrentActivation: FusableActivation) {
  const [dz, r, dHh] = tf.split(z, 3, 1);
  const dr = dRh && hPrev ? activationGradFromOutput(tf, recurrentActivation, r, tf.mul(dRh, hPrev)) : tf.zerosLike(r);
  return { z: tf.concat([dz, dr, dHh], 1), s: tf.concat([dz, dr], 1), dhPrevPart: dRh ? tf.mul(dRh, r) : null };
}

/** GRU's reset-after step: gates from x·W + b_input (z) and hPrev·U (inner) plus the recurrent bias (null: none). */
export function gruResetAfterForwardTensors(tf: Tf, z: tfc.Tensor2D, inner: tfc.Tensor2D, recurrentBias: tfc.Tensor | null, hPrev: tfc.Tensor2D | null, activation: FusableActivation, recurrentActivation: FusableActivation) {
  const recurrent = recurrentBias ? tf.add(inner, recurrentBias) : inner;
  const [xzr, xh] = tf.split(z, [2 * (z.shape[1] / 3), z.shape[1] / 3], 1);
  const [izr, ih] = tf.split(recurrent, [2 * (z.shape[1] / 3), z.shape[1] / 3], 1);
  const gates = activate(tf, recurrentActivation, tf.add(xzr, izr));
  const [g, r] = tf.split(gates, 2, 1);
  const hh = activate(tf, activation, tf.add(xh, tf.mul(r, ih)));
  const h = tf.add(hPrev ? tf.mul(g, hPrev) : tf.zerosLike(g), tf.mul(tf.sub(1, g), hh));
  return { z: tf.concat([gates, hh], 1), h };
}

/** Its backward pass: the gradients of x·W + b_input and of hPrev·U + b_recurrent, and dh⊙z for hPrev. */
export function gruResetAfterBackwardTensors(tf: Tf, z: tfc.Tensor2D, inner: tfc.Tensor2D, recurrentBias: tfc.Tensor | null, hPrev: tfc.Tensor2D | null, dh: tfc.Tensor2D, activation: FusableActivation, recurrentActivation: FusableActivation) {
  const [g, r, hh] = tf.split(z, 3, 1);
  const ih = tf.split(recurrentBias ? tf.add(inner, recurrentBias) : inner, 3, 1)[2];
  const dUpdate = activationGradFromOutput(tf, recurrentActivation, g, tf.mul(dh, hPrev ? tf.sub(hPrev, hh) : tf.neg(hh)));
  const dCandidate = activationGradFromOutput(tf, activation, hh, tf.mul(dh, tf.sub(1, g)));
  const dReset = activationGradFromOutput(tf, recurrentActivation, r, tf.mul(dCandidate, ih));
  return {
    dz: tf.concat([dUpdate, dReset, dCandidate], 1),
    dInner: tf.concat([dUpdate, dReset, tf.mul(dCandidate, r)], 1),
    dhPrevPart: tf.mul(dh, g),
  };
}
