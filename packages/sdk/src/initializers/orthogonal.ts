import type { Random } from '../utils/random.js';

/**
 * Keras' and TensorFlow.js' Orthogonal initializer: a matrix `[rows, cols]` (rows: the product of
 * every axis but the last) whose rows or columns, whichever are fewer, are orthonormal, times
 * `gain`. As tfjs does, it draws a normal matrix `[max, min]`, orthonormalizes its columns (the Q of
 * a QR factorization with a positive diagonal in R: Gram-Schmidt, twice for float accuracy) and
 * transposes when rows < cols.
 */
export function orthogonal(shape: readonly number[], random: Random, gain: number): Float32Array {
  if (shape.length < 2) {
    throw new Error(`The Orthogonal initializer needs a weight of at least 2 dimensions. Received: shape=[${shape.join(', ')}]. Use it for kernels, e.g. recurrentInitializer: 'orthogonal'.`);
  }
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const [long, short] = [Math.max(rows, cols), Math.min(rows, cols)];
  // q[j] is column j of the [long, short] matrix, as a vector of `long` values.
  const q = Array.from({ length: short }, () => new Float64Array(long));
  for (let i = 0; i < long; i++) for (let j = 0; j < short; j++) q[j][i] = random.normal();
  for (let j = 0; j < short; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < long; i++) dot += q[j][i] * q[k][i];
        for (let i = 0; i < long; i++) q[j][i] -= dot * q[k][i];
      }
    }
    let norm = 0;
    for (let i = 0; i < long; i++) norm += q[j][i] * q[j][i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < long; i++) q[j][i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
  }
  return out;
}
