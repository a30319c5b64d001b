// Float64 host references for the masked-loss tests: a Masking → Dense(C) per-step model and each
// loss family's per-position term, reduced as Keras 3 does (Σ loss·w·m / Σm per batch).

export type Activation = 'linear' | 'softmax' | 'sigmoid';

/** A Dense layer's output rows act(x·W + b), x `[rows, features]`, W `[features, units]`. */
export function denseRows(x: ArrayLike<number>, rows: number, features: number, kernel: ArrayLike<number>, bias: ArrayLike<number>, act: Activation): number[][] {
  const units = bias.length;
  return Array.from({ length: rows }, (_, r) => {
    const z = Array.from({ length: units }, (_, u) => {
      let s = bias[u];
      for (let f = 0; f < features; f++) s += x[r * features + f] * kernel[f * units + u];
      return s;
    });
    if (act === 'sigmoid') return z.map((v) => 1 / (1 + Math.exp(-v)));
    if (act === 'softmax') {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    }
    return z;
  });
}

const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const logSoftmax = (z: number[]) => {
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return z.map((v) => v - lse);
};

/** Each loss family's term at one position (output row p, target row t), from Keras' formulas. */
export const POSITION_LOSS: Record<string, (p: number[], t: number[]) => number> = {
  // Keras divides each row by its sum first: a sigmoid row is read as the distribution it is proportional to.
  categoricalCrossentropy: (p, t) => {
    const sum = p.reduce((a, b) => a + b, 0);
    return -t.reduce((s, ti, j) => s + ti * Math.log(clip(p[j] / sum)), 0);
  },
  categoricalCrossentropyFromLogits: (p, t) => -logSoftmax(p).reduce((s, l, j) => s + t[j] * l, 0),
  binaryCrossentropy: (p, t) => mean(p.map((pj, j) => -(t[j] * Math.log(clip(pj)) + (1 - t[j]) * Math.log(1 - clip(pj))))),
  binaryCrossentropyFromLogitsSmoothed: (p, t) => mean(p.map((x, j) => {
    const s = t[j] * 0.9 + 0.05;
    return Math.max(x, 0) - x * s + Math.log1p(Math.exp(-Math.abs(x)));
  })),
  meanSquaredError: (p, t) => mean(p.map((pj, j) => (pj - t[j]) ** 2)),
  meanAbsoluteError: (p, t) => mean(p.map((pj, j) => Math.abs(pj - t[j]))),
  huber: (p, t) => mean(p.map((pj, j) => {
    const a = Math.abs(pj - t[j]);
    return a <= 1 ? 0.5 * a * a : a - 0.5;
  })),
  kullbackLeiblerDivergence: (p, t) => t.reduce((s, tj, j) => {
    const tc = Math.min(Math.max(tj, EPS), 1);
    return s + tc * Math.log(tc / Math.min(Math.max(p[j], EPS), 1));
  }, 0),
  cosineSimilarity: (p, t) => {
    const dot = p.reduce((s, pj, j) => s + pj * t[j], 0);
    const norm = (v: number[]) => Math.sqrt(Math.max(v.reduce((s, x) => s + x * x, 0), 1e-12));
    return -dot / (norm(p) * norm(t));
  },
  categoricalHinge: (p, t) => {
    const pos = p.reduce((s, pj, j) => s + pj * t[j], 0);
    const neg = Math.max(...p.map((pj, j) => (1 - t[j]) * pj));
    return Math.max(0, neg - pos + 1);
  },
};

/** Keras' masked, weighted batch loss: Σ ℓ·w·m / Σm over the positions (0 when all are masked). */
export function maskedMean(losses: number[], mask: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0;
  let valid = 0;
  losses.forEach((l, i) => {
    sum += l * mask[i] * (weights ? weights[i] : 1);
    valid += mask[i];
  });
  return valid === 0 ? 0 : sum / valid;
}
