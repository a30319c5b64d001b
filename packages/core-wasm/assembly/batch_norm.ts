// Batch normalization over the rows of a [rows, cols] matrix (every axis but the channels), per
// column. Pointers to gamma, beta, dx, dGamma and dBeta may be 0: no scale, no offset, or that
// gradient not wanted. Statistics accumulate in f64, since rows reach batch·height·width.

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Writes y = gamma·(x − mean)·invStd + beta for the given per-column mean and invStd. */
function normalize(x: usize, y: usize, gamma: usize, beta: usize, mean: usize, invStd: usize, rows: i32, cols: i32): void {
  for (let c = 0; c < cols; c++) {
    const g: f32 = gamma ? load<f32>(at(gamma, c)) : 1;
    const scale = g * load<f32>(at(invStd, c));
    const shift = (beta ? load<f32>(at(beta, c)) : 0) - load<f32>(at(mean, c)) * scale;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + c;
      store<f32>(at(y, i), load<f32>(at(x, i)) * scale + shift);
    }
  }
}

/**
 * Training: the batch mean and biased variance per column (kept as mean and 1/√(var + ε) for the
 * backward pass), y normalized with them, and the moving statistics moved towards them:
 * moving = moving·momentum + batch·(1 − momentum), as Keras does.
 */
export function batchNormTrain(
  x: usize, y: usize, gamma: usize, beta: usize, movingMean: usize, movingVar: usize, mean: usize, invStd: usize,
  rows: i32, cols: i32, epsilon: f32, momentum: f32,
): void {
  for (let c = 0; c < cols; c++) {
    let sum: f64 = 0;
    for (let r = 0; r < rows; r++) sum += <f64>load<f32>(at(x, r * cols + c));
    const mu = sum / <f64>rows;
    let squares: f64 = 0;
    for (let r = 0; r < rows; r++) {
      const d = <f64>load<f32>(at(x, r * cols + c)) - mu;
      squares += d * d;
    }
    const variance = <f32>(squares / <f64>rows);
    store<f32>(at(mean, c), <f32>mu);
    store<f32>(at(invStd, c), <f32>1 / Mathf.sqrt(variance + epsilon));
    store<f32>(at(movingMean, c), load<f32>(at(movingMean, c)) * momentum + <f32>mu * (<f32>1 - momentum));
    store<f32>(at(movingVar, c), load<f32>(at(movingVar, c)) * momentum + variance * (<f32>1 - momentum));
  }
  normalize(x, y, gamma, beta, mean, invStd, rows, cols);
}

/** Inference: y normalized with the moving statistics. `invStd` is cols floats of scratch. */
export function batchNormInfer(
  x: usize, y: usize, gamma: usize, beta: usize, movingMean: usize, movingVar: usize, invStd: usize,
  rows: i32, cols: i32, epsilon: f32,
): void {
  for (let c = 0; c < cols; c++) store<f32>(at(invStd, c), <f32>1 / Mathf.sqrt(load<f32>(at(movingVar, c)) + epsilon));
  normalize(x, y, gamma, beta, movingMean, invStd, rows, cols);
}

/**
 * Gradients of batchNormTrain's y (the batch statistics depend on x): with x̂ = (x − mean)·invStd,
 * dBeta = Σ dy, dGamma = Σ dy·x̂, dx = gamma·invStd/rows · (rows·dy − dBeta − x̂·dGamma).
 */
export function batchNormGrad(
  x: usize, dy: usize, dx: usize, gamma: usize, mean: usize, invStd: usize, dGamma: usize, dBeta: usize, rows: i32, cols: i32,
): void {
  for (let c = 0; c < cols; c++) {
    const mu = load<f32>(at(mean, c));
    const s = load<f32>(at(invStd, c));
    let sumDy: f64 = 0;
    let sumDyXhat: f64 = 0;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + c;
      const g = <f64>load<f32>(at(dy, i));
      sumDy += g;
      sumDyXhat += g * <f64>((load<f32>(at(x, i)) - mu) * s);
    }
    if (dBeta) store<f32>(at(dBeta, c), <f32>sumDy);
    if (dGamma) store<f32>(at(dGamma, c), <f32>sumDyXhat);
    if (!dx) continue;
    const k = (gamma ? load<f32>(at(gamma, c)) : <f32>1) * s / <f32>rows;
    const dBetaSum = <f32>sumDy;
    const dGammaSum = <f32>sumDyXhat;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + c;
      const xhat = (load<f32>(at(x, i)) - mu) * s;
      store<f32>(at(dx, i), k * (<f32>rows * load<f32>(at(dy, i)) - dBetaSum - xhat * dGammaSum));
    }
  }
}
