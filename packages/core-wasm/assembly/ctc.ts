// Connectionist temporal classification (Graves et al. 2006), Keras 3's ctc_loss: the negative log
// of the probability, summed over every alignment, that the softmax over each step's logits spells
// the label sequence with blanks between and around its labels. The forward–backward recursion
// runs in log space in f64, so long sequences of small probabilities neither underflow nor lose digits.

const NEG_INF: f64 = -Infinity;

// @ts-ignore: decorator
@inline
function logAdd(a: f64, b: f64): f64 {
  if (a == NEG_INF) return b;
  if (b == NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

// The label of state s of the extended sequence: blanks at even states, label (s − 1)/2 at odd ones.
// @ts-ignore: decorator
@inline
function stateLabel(labels: usize, s: i32, blank: i32): i32 {
  return s & 1 ? load<i32>(labels + (<usize>(s >> 1) << 2)) : blank;
}

// Whether state s may be entered from s − 2, skipping a blank: not for a blank, nor for a label
// equal to the previous one (a repeat needs the blank between them).
// @ts-ignore: decorator
@inline
function canSkip(labels: usize, s: i32, blank: i32): bool {
  return (s & 1) != 0 && s >= 2 && stateLabel(labels, s, blank) != stateLabel(labels, s - 2, blank);
}

/** Bytes of f64 scratch {@link ctcLoss} needs for `steps` × `classes` logits and up to `labelCap` labels. */
export function ctcScratchBytes(steps: i32, classes: i32, labelCap: i32): usize {
  return (<usize>steps * (<usize>classes + 2 * (2 * <usize>labelCap + 1))) << 3;
}

/**
 * Σ over `batch` samples of weight·(−log p(labels | logits)), logits [batch, steps, classes] and
 * labels i32 [batch, labelCap] with the label sequence first and `blank` as padding after it. When
 * dp ≠ 0 writes dLoss/dLogits·gradScale: softmax − the posterior of each class at each step. A
 * sample whose labels cannot fit in `steps` (p = 0) adds +∞ and gets a zero gradient. `weights`: 0,
 * or one f32 per step of each sample, summed into that sample's weight. `scratch`: ctcScratchBytes.
 */
export function ctcLoss(
  logits: usize, labels: usize, dp: usize, batch: i32, steps: i32, classes: i32, labelCap: i32,
  blank: i32, gradScale: f32, weights: usize, scratch: usize,
): f64 {
  const stride = 2 * labelCap + 1;
  const logp = scratch;
  const alpha = logp + ((<usize>steps * <usize>classes) << 3);
  const beta = alpha + ((<usize>steps * <usize>stride) << 3);
  let total: f64 = 0;
  for (let b = 0; b < batch; b++) {
    const x = logits + ((<usize>b * <usize>steps * <usize>classes) << 2);
    const lab = labels + ((<usize>b * <usize>labelCap) << 2);
    let count = 0;
    while (count < labelCap && load<i32>(lab + (<usize>count << 2)) != blank) count++;
    const states = 2 * count + 1;
    logSoftmaxSteps(x, logp, steps, classes);
    forward(logp, alpha, lab, steps, classes, states, stride, blank);
    backward(logp, beta, lab, steps, classes, states, stride, blank);
    const last = alpha + ((<usize>(steps - 1) * <usize>stride) << 3);
    let logP = load<f64>(last + (<usize>(states - 1) << 3));
    if (states > 1) logP = logAdd(logP, load<f64>(last + (<usize>(states - 2) << 3)));
    let w: f64 = 1;
    if (weights != 0) {
      w = 0;
      for (let t = 0; t < steps; t++) w += <f64>load<f32>(weights + ((<usize>b * <usize>steps + <usize>t) << 2));
    }
    const feasible = logP != NEG_INF;
    total += feasible ? -w * logP : Infinity;
    if (dp == 0) continue;
    const g = dp + ((<usize>b * <usize>steps * <usize>classes) << 2);
    posteriorGradient(logp, alpha, beta, lab, g, steps, classes, states, stride, blank, logP, feasible ? w * <f64>gradScale : 0);
  }
  return total;
}

function logSoftmaxSteps(x: usize, logp: usize, steps: i32, classes: i32): void {
  for (let t = 0; t < steps; t++) {
    const row = x + ((<usize>t * <usize>classes) << 2);
    let mx: f64 = NEG_INF;
    for (let c = 0; c < classes; c++) mx = max(mx, <f64>load<f32>(row + (<usize>c << 2)));
    let sum: f64 = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(<f64>load<f32>(row + (<usize>c << 2)) - mx);
    const lse = mx + Math.log(sum);
    const out = logp + ((<usize>t * <usize>classes) << 3);
    for (let c = 0; c < classes; c++) store<f64>(out + (<usize>c << 3), <f64>load<f32>(row + (<usize>c << 2)) - lse);
  }
}

// alpha[t, s]: log p of the first t + 1 steps ending in state s.
function forward(logp: usize, alpha: usize, lab: usize, steps: i32, classes: i32, states: i32, stride: i32, blank: i32): void {
  for (let s = 0; s < states; s++) {
    const v = s < 2 ? load<f64>(logp + (<usize>stateLabel(lab, s, blank) << 3)) : NEG_INF;
    store<f64>(alpha + (<usize>s << 3), v);
  }
  for (let t = 1; t < steps; t++) {
    const prev = alpha + ((<usize>(t - 1) * <usize>stride) << 3);
    const cur = alpha + ((<usize>t * <usize>stride) << 3);
    const emit = logp + ((<usize>t * <usize>classes) << 3);
    for (let s = 0; s < states; s++) {
      let a = load<f64>(prev + (<usize>s << 3));
      if (s >= 1) a = logAdd(a, load<f64>(prev + (<usize>(s - 1) << 3)));
      if (canSkip(lab, s, blank)) a = logAdd(a, load<f64>(prev + (<usize>(s - 2) << 3)));
      store<f64>(cur + (<usize>s << 3), a == NEG_INF ? a : a + load<f64>(emit + (<usize>stateLabel(lab, s, blank) << 3)));
    }
  }
}

// beta[t, s]: log p of the steps after t given state s at step t (emissions after t only).
function backward(logp: usize, beta: usize, lab: usize, steps: i32, classes: i32, states: i32, stride: i32, blank: i32): void {
  const end = beta + ((<usize>(steps - 1) * <usize>stride) << 3);
  for (let s = 0; s < states; s++) store<f64>(end + (<usize>s << 3), s >= states - 2 ? 0 : NEG_INF);
  for (let t = steps - 2; t >= 0; t--) {
    const next = beta + ((<usize>(t + 1) * <usize>stride) << 3);
    const cur = beta + ((<usize>t * <usize>stride) << 3);
    const emit = logp + ((<usize>(t + 1) * <usize>classes) << 3);
    for (let s = 0; s < states; s++) {
      let v = load<f64>(next + (<usize>s << 3)) + load<f64>(emit + (<usize>stateLabel(lab, s, blank) << 3));
      if (s + 1 < states) v = logAdd(v, load<f64>(next + (<usize>(s + 1) << 3)) + load<f64>(emit + (<usize>stateLabel(lab, s + 1, blank) << 3)));
      if (s + 2 < states && canSkip(lab, s + 2, blank)) v = logAdd(v, load<f64>(next + (<usize>(s + 2) << 3)) + load<f64>(emit + (<usize>stateLabel(lab, s + 2, blank) << 3)));
      store<f64>(cur + (<usize>s << 3), v);
    }
  }
}

// dLoss/dx[t, k] = softmax[t, k] − Σ_{s: label(s) = k} exp(alpha[t, s] + beta[t, s] − log p), times scale.
function posteriorGradient(logp: usize, alpha: usize, beta: usize, lab: usize, g: usize, steps: i32, classes: i32, states: i32, stride: i32, blank: i32, logP: f64, scale: f64): void {
  for (let t = 0; t < steps; t++) {
    const row = g + ((<usize>t * <usize>classes) << 2);
    const lp = logp + ((<usize>t * <usize>classes) << 3);
    if (scale == 0) {
      for (let c = 0; c < classes; c++) store<f32>(row + (<usize>c << 2), 0);
      continue;
    }
    // The softmax first (in f32 in dp), then each state's posterior taken off its class.
    for (let c = 0; c < classes; c++) store<f32>(row + (<usize>c << 2), <f32>Math.exp(load<f64>(lp + (<usize>c << 3))));
    const a = alpha + ((<usize>t * <usize>stride) << 3);
    const bt = beta + ((<usize>t * <usize>stride) << 3);
    for (let s = 0; s < states; s++) {
      const post = Math.exp(load<f64>(a + (<usize>s << 3)) + load<f64>(bt + (<usize>s << 3)) - logP);
      const at = row + (<usize>stateLabel(lab, s, blank) << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) - post));
    }
    for (let c = 0; c < classes; c++) {
      const at = row + (<usize>c << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) * scale));
    }
  }
}
