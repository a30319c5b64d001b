import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

// Keras' update rules as tfjs ops: each takes the parameters, gradients and state and returns
// [params, ...state] after the step. A JS number becomes a float32 scalar, so 1 − β written with
// the numbers is formed in double and rounded once, as Keras does and as the wasm kernels do.

/** Keras' moment update m += (g − m)·(1 − β) (Adam's family); `x` is g or g². */
export function movingMean(tf: Tf, m: tfc.Tensor, x: tfc.Tensor, beta: number): tfc.Tensor {
  return tf.add(m, tf.mul(tf.sub(x, m), 1 - beta));
}

/** Adam, with AMSGrad when `vHat` (the running max of v) is given; lrT folds in the bias corrections. */
export function adamTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, m: tfc.Tensor, v: tfc.Tensor, vHat: tfc.Tensor | null, lrT: number, beta1: number, beta2: number, epsilon: number): tfc.Tensor[] {
  const m1 = movingMean(tf, m, g, beta1);
  const v1 = movingMean(tf, v, tf.square(g), beta2);
  const h1 = vHat ? tf.maximum(vHat, v1) : v1;
  const next = tf.sub(p, tf.div(tf.mul(m1, lrT), tf.add(tf.sqrt(h1), epsilon)));
  return vHat ? [next, m1, v1, h1] : [next, m1, v1];
}

/** SGD with (Nesterov) momentum; without momentum there is no velocity. */
export function sgdTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, velocity: tfc.Tensor | null, lr: number, momentum: number, nesterov: boolean): tfc.Tensor[] {
  if (!velocity) return [tf.sub(p, tf.mul(g, lr))];
  const v1 = tf.sub(tf.mul(velocity, momentum), tf.mul(g, lr));
  const delta = nesterov ? tf.sub(tf.mul(v1, momentum), tf.mul(g, lr)) : v1;
  return [tf.add(p, delta), v1];
}

/** Nadam with the momentum schedule folded into mCoef, gCoef and vScale = 1/(1 − β2ᵗ). */
export function nadamTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, m: tfc.Tensor, v: tfc.Tensor, lr: number, beta1: number, beta2: number, epsilon: number, mCoef: number, gCoef: number, vScale: number): tfc.Tensor[] {
  const m1 = movingMean(tf, m, g, beta1);
  const v1 = movingMean(tf, v, tf.square(g), beta2);
  const mHat = tf.add(tf.mul(m1, mCoef), tf.mul(g, gCoef));
  return [tf.sub(p, tf.div(tf.mul(mHat, lr), tf.add(tf.sqrt(tf.mul(v1, vScale)), epsilon))), m1, v1];
}

/** Adamax; lrT = lr/(1 − β1ᵗ). */
export function adamaxTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, m: tfc.Tensor, u: tfc.Tensor, lrT: number, beta1: number, beta2: number, epsilon: number): tfc.Tensor[] {
  const m1 = movingMean(tf, m, g, beta1);
  const u1 = tf.maximum(tf.mul(u, beta2), tf.abs(g));
  return [tf.sub(p, tf.div(tf.mul(m1, lrT), tf.add(u1, epsilon))), m1, u1];
}

/** Adagrad: accumulator += g², p −= lr·g/√(accumulator + ε). */
export function adagradTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, accumulator: tfc.Tensor, lr: number, epsilon: number): tfc.Tensor[] {
  const a1 = tf.add(accumulator, tf.square(g));
  return [tf.sub(p, tf.div(tf.mul(g, lr), tf.sqrt(tf.add(a1, epsilon)))), a1];
}

/** RMSprop, centered when `avgGrad` is given and with momentum when `momentumBuffer` is: [params, velocity, avgGrad?, momentum?]. */
export function rmspropTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, velocity: tfc.Tensor, avgGrad: tfc.Tensor | null, momentumBuffer: tfc.Tensor | null, lr: number, rho: number, momentum: number, epsilon: number): tfc.Tensor[] {
  const s1 = tf.add(tf.mul(velocity, rho), tf.mul(tf.square(g), 1 - rho));
  const out: tfc.Tensor[] = [s1];
  let denominator: tfc.Tensor = tf.add(s1, epsilon);
  if (avgGrad) {
    const a1 = tf.add(tf.mul(avgGrad, rho), tf.mul(g, 1 - rho));
    denominator = tf.sub(denominator, tf.square(a1));
    out.push(a1);
  }
  let increment: tfc.Tensor = tf.div(tf.mul(g, lr), tf.sqrt(denominator));
  if (momentumBuffer) {
    increment = tf.add(tf.mul(momentumBuffer, momentum), increment);
    out.push(increment);
  }
  return [tf.sub(p, increment), ...out];
}

/** Keras 3's Adadelta step as tfjs ops: returns [params, accumGrad, accumDelta] after it. */
export function adadeltaTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, accumGrad: tfc.Tensor, accumDelta: tfc.Tensor, lr: number, rho: number, epsilon: number): tfc.Tensor[] {
  const a1 = tf.add(tf.mul(accumGrad, rho), tf.mul(tf.square(g), 1 - rho));
  // The updated a1 in the denominator is Keras'; tf.train.adadelta uses the previous accumulator.
  const delta = tf.div(tf.mul(g, tf.sqrt(tf.add(accumDelta, epsilon))), tf.sqrt(tf.add(a1, epsilon)));
  const d1 = tf.add(tf.mul(accumDelta, rho), tf.mul(tf.square(delta), 1 - rho));
  return [tf.sub(p, tf.mul(delta, lr)), a1, d1];
}

/** Keras 3's Lion step as tfjs ops (tf.sign(0) is 0, as in the wasm kernel): returns [params, m] after it. */
export function lionTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, m: tfc.Tensor, lr: number, beta1: number, beta2: number): tfc.Tensor[] {
  const direction = tf.sign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
  return [tf.sub(p, tf.mul(direction, lr)), tf.add(tf.mul(m, beta2), tf.mul(g, 1 - beta2))];
}

/** Keras 3's Ftrl step as tfjs ops (power = −learning_rate_power, l2 with β/(2·lr)): returns [params, accumulator, linear]. */
export function ftrlTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, a0: tfc.Tensor, l0: tfc.Tensor, lr: number, power: number, l1: number, l2: number, l2Shrinkage: number): tfc.Tensor[] {
  const a1 = tf.add(a0, tf.square(g));
  const rootNew = tf.pow(a1, power);
  const sigma = tf.div(tf.sub(rootNew, tf.pow(a0, power)), lr);
  const l1Next = tf.sub(tf.add(l0, tf.add(g, tf.mul(p, 2 * l2Shrinkage))), tf.mul(sigma, p));
  const quadratic = tf.add(tf.div(rootNew, lr), 2 * l2);
  return [tf.div(tf.sub(tf.clipByValue(l1Next, -l1, l1), l1Next), quadratic), a1, l1Next];
}
