// Keras 3's SpectralNormalization.normalized_weights in float64, for tests.

/** Keras' normalize(x, axis=None): x·min(1/‖x‖, 1/ε), ε = 1e-7. */
function normalize(x: readonly number[]): number[] {
  const norm = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
  return x.map((v) => v / Math.max(norm, 1e-7));
}

/** W [rows, units] (row-major) and u [units] after `iterations` power iterations: the new u, W / σ and σ = v·W·uᵀ. */
export function spectralStep(w: readonly number[], u: readonly number[], rows: number, units: number, iterations: number): { u: number[]; kernel: number[]; sigma: number } {
  let v: number[] = [];
  let next = [...u];
  for (let k = 0; k < iterations; k++) {
    v = normalize(Array.from({ length: rows }, (_, i) => next.reduce((s, uj, j) => s + uj * w[i * units + j], 0)));
    next = normalize(Array.from({ length: units }, (_, j) => v.reduce((s, vi, i) => s + vi * w[i * units + j], 0)));
  }
  const vw = Array.from({ length: units }, (_, j) => v.reduce((s, vi, i) => s + vi * w[i * units + j], 0));
  const sigma = vw.reduce((s, x, j) => s + x * next[j], 0);
  return { u: next, kernel: w.map((x) => x / sigma), sigma };
}

/** W's largest singular value, by many power iterations from a fixed start. */
export function largestSingularValue(w: readonly number[], rows: number, units: number): number {
  const start = Array.from({ length: units }, (_, j) => 1 + 0.1 * j);
  return spectralStep(w, start, rows, units, 500).sigma;
}
