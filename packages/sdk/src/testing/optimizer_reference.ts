/**
 * The published Keras 3 update equations in float64, one function per optimizer, written from the
 * Keras documentation independently of the kernels. Tests step these beside kerasm's optimizers.
 */
export interface RefOptions {
  lr: (step: number) => number;
  clipnorm?: number;
  clipvalue?: number;
  globalClipnorm?: number;
  weightDecay?: number;
  /** Weight sizes for per-weight clipnorm. */
  segments?: number[];
}

/** One update of `p` (in place) from gradient `g` at 1-based step `t`, with state kept in `s`. */
export type RefRule = (p: Float64Array, g: Float64Array, s: Record<string, Float64Array>, t: number, lr: number) => void;

const norm = (g: Float64Array, from = 0, to = g.length) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += g[i] * g[i];
  return Math.sqrt(sum);
};

/** Keras' clipping, weight decay, then the rule: one full `optimizer.apply`. */
export function refStep(rule: RefRule, options: RefOptions, p: Float64Array, gIn: Float64Array, s: Record<string, Float64Array>, t: number): void {
  const g = Float64Array.from(gIn);
  const lr = options.lr(t - 1);
  if (options.clipvalue !== undefined) g.forEach((v, i) => (g[i] = Math.min(Math.max(v, -options.clipvalue!), options.clipvalue!)));
  if (options.globalClipnorm !== undefined) {
    const n = norm(g);
    g.forEach((v, i) => (g[i] = (v * options.globalClipnorm!) / Math.max(n, options.globalClipnorm!)));
  }
  if (options.clipnorm !== undefined) {
    let from = 0;
    for (const size of options.segments ?? [g.length]) {
      const n = norm(g, from, from + size);
      for (let i = from; i < from + size; i++) g[i] = (g[i] * options.clipnorm) / Math.max(n, options.clipnorm);
      from += size;
    }
  }
  if (options.weightDecay) p.forEach((v, i) => (p[i] = v - v * options.weightDecay! * lr));
  rule(p, g, s, t, lr);
}

const state = (s: Record<string, Float64Array>, name: string, n: number, init = 0) => (s[name] ??= new Float64Array(n).fill(init));

export function sgdRule(momentum = 0, nesterov = false): RefRule {
  return (p, g, s, _t, lr) => {
    const m = state(s, 'm', p.length);
    for (let i = 0; i < p.length; i++) {
      if (momentum === 0) {
        p[i] -= lr * g[i];
        continue;
      }
      m[i] = momentum * m[i] - lr * g[i];
      p[i] += nesterov ? momentum * m[i] - lr * g[i] : m[i];
    }
  };
}

export function adamRule(b1 = 0.9, b2 = 0.999, eps = 1e-7, amsgrad = false): RefRule {
  return (p, g, s, t, lr) => {
    const [m, v, vh] = [state(s, 'm', p.length), state(s, 'v', p.length), state(s, 'vh', p.length)];
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let i = 0; i < p.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      vh[i] = Math.max(vh[i], v[i]);
      p[i] -= (alpha * m[i]) / (Math.sqrt(amsgrad ? vh[i] : v[i]) + eps);
    }
  };
}

export function adamaxRule(b1 = 0.9, b2 = 0.999, eps = 1e-7): RefRule {
  return (p, g, s, t, lr) => {
    const [m, u] = [state(s, 'm', p.length), state(s, 'u', p.length)];
    for (let i = 0; i < p.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
      p[i] -= ((lr / (1 - b1 ** t)) * m[i]) / (u[i] + eps);
    }
  };
}

export function nadamRule(b1 = 0.9, b2 = 0.999, eps = 1e-7): RefRule {
  let uProduct = 1;
  return (p, g, s, t, lr) => {
    const [m, v] = [state(s, 'm', p.length), state(s, 'v', p.length)];
    const uT = b1 * (1 - 0.5 * 0.96 ** t);
    const uNext = b1 * (1 - 0.5 * 0.96 ** (t + 1));
    const productT = uProduct * uT;
    const productNext = productT * uNext;
    uProduct = productT;
    for (let i = 0; i < p.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      const mHat = (uNext * m[i]) / (1 - productNext) + ((1 - uT) * g[i]) / (1 - productT);
      const vHat = v[i] / (1 - b2 ** t);
      p[i] -= (mHat * lr) / (Math.sqrt(vHat) + eps);
    }
  };
}

export function adagradRule(initial = 0.1, eps = 1e-7): RefRule {
  return (p, g, s, _t, lr) => {
    const a = state(s, 'a', p.length, initial);
    for (let i = 0; i < p.length; i++) {
      a[i] += g[i] * g[i];
      p[i] -= (lr * g[i]) / Math.sqrt(a[i] + eps);
    }
  };
}

export function rmspropRule(rho = 0.9, momentum = 0, eps = 1e-7, centered = false): RefRule {
  return (p, g, s, _t, lr) => {
    const [vel, avg, mom] = [state(s, 'vel', p.length), state(s, 'avg', p.length), state(s, 'mom', p.length)];
    for (let i = 0; i < p.length; i++) {
      vel[i] = rho * vel[i] + (1 - rho) * g[i] * g[i];
      let denominator = vel[i] + eps;
      if (centered) {
        avg[i] = rho * avg[i] + (1 - rho) * g[i];
        denominator = vel[i] - avg[i] * avg[i] + eps;
      }
      const increment = (lr * g[i]) / Math.sqrt(denominator);
      if (momentum > 0) {
        mom[i] = momentum * mom[i] + increment;
        p[i] -= mom[i];
      } else p[i] -= increment;
    }
  };
}

/**
 * Keras 3's Adadelta. `tfjsDenominator` divides by the gradient mean before this step's update, as
 * tfjs-core 4.22's AdadeltaOptimizer does, to show that tfjs differs from Keras only there.
 */
export function adadeltaRule(rho = 0.95, eps = 1e-7, tfjsDenominator = false): RefRule {
  return (p, g, s, _t, lr) => {
    const [a, d] = [state(s, 'a', p.length), state(s, 'd', p.length)];
    for (let i = 0; i < p.length; i++) {
      const before = a[i];
      a[i] = rho * a[i] + (1 - rho) * g[i] * g[i];
      const delta = (g[i] * Math.sqrt(d[i] + eps)) / Math.sqrt((tfjsDenominator ? before : a[i]) + eps);
      d[i] = rho * d[i] + (1 - rho) * delta * delta;
      p[i] -= lr * delta;
    }
  };
}

/** Keras 3's Lion: the step's sign mixes m and g with β1, then m decays with β2. */
export function lionRule(b1 = 0.9, b2 = 0.99): RefRule {
  return (p, g, s, _t, lr) => {
    const m = state(s, 'm', p.length);
    for (let i = 0; i < p.length; i++) {
      p[i] -= lr * Math.sign(b1 * m[i] + (1 - b1) * g[i]);
      m[i] = b2 * m[i] + (1 - b2) * g[i];
    }
  };
}

/** Keras 3's Ftrl (FTRL-Proximal); `power` is Keras' learning_rate_power (≤ 0). */
export function ftrlRule(power = -0.5, initial = 0.1, l1 = 0, l2 = 0, l2Shrinkage = 0, beta = 0): RefRule {
  return (p, g, s, _t, lr) => {
    const [a, linear] = [state(s, 'a', p.length, initial), state(s, 'linear', p.length)];
    const l2Total = l2 + beta / (2 * lr);
    for (let i = 0; i < p.length; i++) {
      const aNew = a[i] + g[i] * g[i];
      linear[i] += g[i] + 2 * l2Shrinkage * p[i] - ((aNew ** -power - a[i] ** -power) / lr) * p[i];
      const clipped = Math.min(Math.max(linear[i], -l1), l1);
      p[i] = (clipped - linear[i]) / (aNew ** -power / lr + 2 * l2Total);
      a[i] = aNew;
    }
  };
}

/** Runs `step` on each weight's slice of p, g and of every per-weight state (`lengths(shape)` long, default the weight's size). */
function perWeight(
  shapes: readonly (readonly number[])[], p: Float64Array, g: Float64Array, s: Record<string, Float64Array>,
  states: Record<string, (shape: readonly number[]) => number>,
  step: (shape: readonly number[], p: Float64Array, g: Float64Array, state: Record<string, Float64Array>) => void,
): void {
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const offsets: Record<string, number> = { p: 0 };
  for (const name of Object.keys(states)) {
    s[name] ??= new Float64Array(shapes.reduce((total, shape) => total + states[name](shape), 0));
    offsets[name] = 0;
  }
  for (const shape of shapes) {
    const n = size(shape);
    const views: Record<string, Float64Array> = {};
    for (const name of Object.keys(states)) {
      const length = states[name](shape);
      views[name] = s[name].subarray(offsets[name], offsets[name] + length);
      offsets[name] += length;
    }
    step(shape, p.subarray(offsets.p, offsets.p + n), g.subarray(offsets.p, offsets.p + n), views);
    offsets.p += n;
  }
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const rms = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((a, v) => a + v * v, 0) / x.length);

/** Keras 3's Lamb: Adam's bias-corrected direction times ‖w‖/‖u‖ per weight tensor. */
export function lambRule(shapes: readonly (readonly number[])[], b1 = 0.9, b2 = 0.999, eps = 1e-7): RefRule {
  return (pAll, gAll, s, t, lr) => perWeight(shapes, pAll, gAll, s, { m: sizeOf, v: sizeOf }, (_shape, p, g, { m, v }) => {
    const u = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      u[i] = m[i] / (1 - b1 ** t) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    }
    const [wNorm, uNorm] = [norm(p), norm(u)];
    const ratio = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
    for (let i = 0; i < p.length; i++) p[i] -= ratio * lr * u[i];
  });
}

/**
 * Keras 3's Adafactor, written over Keras' own shapes: r = mean of g² + ε1 over the last axis,
 * c over the second last, v = r/mean(r) ⊗ c for rank ≥ 2; a full running mean for vectors.
 */
export function adafactorRule(shapes: readonly (readonly number[])[], decay = -0.8, e1 = 1e-30, e2 = 1e-3, clip = 1): RefRule {
  const rLength = (shape: readonly number[]) => (shape.length < 2 ? 1 : sizeOf(shape.slice(0, -1)));
  const cLength = (shape: readonly number[]) => (shape.length < 2 ? 1 : sizeOf(shape.slice(0, -2)) * shape[shape.length - 1]);
  return (pAll, gAll, s, t, lr) => perWeight(shapes, pAll, gAll, s, { r: rLength, c: cLength, v: sizeOf }, (shape, p, g, { r, c, v }) => {
    const rho = Math.min(lr, 1 / Math.sqrt(t));
    const alpha = Math.max(e2, rms(p)) * rho;
    const beta = 1 - t ** decay;
    const sq = Float64Array.from(g, (x) => x * x + e1);
    if (shape.length >= 2) {
      const [rows, cols] = shape.slice(-2);
      for (let b = 0; b < p.length / (rows * cols); b++) {
        const at = (i: number, j: number) => (b * rows + i) * cols + j;
        let rSum = 0;
        for (let i = 0; i < rows; i++) {
          let mean = 0;
          for (let j = 0; j < cols; j++) mean += sq[at(i, j)] / cols;
          r[b * rows + i] = beta * r[b * rows + i] + (1 - beta) * mean;
          rSum += r[b * rows + i];
        }
        for (let j = 0; j < cols; j++) {
          let mean = 0;
          for (let i = 0; i < rows; i++) mean += sq[at(i, j)] / rows;
          c[b * cols + j] = beta * c[b * cols + j] + (1 - beta) * mean;
        }
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) v[at(i, j)] = (r[b * rows + i] / (rSum / rows)) * c[b * cols + j];
      }
    } else {
      for (let i = 0; i < p.length; i++) v[i] = beta * v[i] + (1 - beta) * sq[i];
    }
    const u = Float64Array.from(g, (x, i) => x / Math.sqrt(v[i]));
    const scale = alpha / Math.max(1, rms(u) / clip);
    for (let i = 0; i < p.length; i++) p[i] -= scale * u[i];
  });
}
