// CTC written as its definition, for tiny cases: the probability of a label sequence is the sum,
// over every path of one class per step whose collapse (merge repeats, then drop blanks) is that
// sequence, of the product of the path's softmax probabilities. Float64, no recursion to share
// mistakes with the kernels.

/** Softmax of each row of `classes` logits, in float64. */
export function softmaxRows(logits: readonly number[], classes: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < logits.length / classes; r++) {
    const row = logits.slice(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / sum));
  }
  return out;
}

/** A path's labels: repeats merged (unless `mergeRepeated` is false), then blanks dropped. */
export function collapsePath(path: readonly number[], blank: number, mergeRepeated = true): number[] {
  return path.filter((c, t) => c !== blank && !(mergeRepeated && t > 0 && path[t - 1] === c));
}

/** −log Σ over every path of `steps` classes that collapses to `labels` (+∞ when none does). */
export function bruteForceCtc(logits: readonly number[], steps: number, classes: number, labels: readonly number[], blank = 0): number {
  const p = softmaxRows(logits, classes);
  let total = 0;
  const path = new Array<number>(steps).fill(0);
  for (let code = 0; code < classes ** steps; code++) {
    let rest = code;
    let prob = 1;
    for (let t = 0; t < steps; t++) {
      path[t] = rest % classes;
      rest = Math.floor(rest / classes);
      prob *= p[t * classes + path[t]];
    }
    const collapsed = collapsePath(path, blank);
    if (collapsed.length === labels.length && collapsed.every((c, i) => c === labels[i])) total += prob;
  }
  return -Math.log(total);
}
