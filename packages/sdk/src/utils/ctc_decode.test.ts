import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { collapsePath, softmaxRows } from '../testing/ctc_reference.js';
import { Random } from './random.js';

// km.utils.ctcDecode against references written from the definitions: greedy as argmax per step
// then collapse; beam search against the probability of every label sequence, found by summing
// every path (brute force), which an unpruned beam search must reproduce exactly.
const random = new Random(71);

function randomLogits(batch: number, steps: number, classes: number): km.Tensor {
  return km.tensor(Array.from({ length: batch * steps * classes }, () => random.uniform(-2, 2)), [batch, steps, classes]);
}

/** Every label sequence of `steps` steps with its probability, most probable first. */
function allSequences(logits: number[], steps: number, classes: number, blank: number): { labels: number[]; p: number }[] {
  const p = softmaxRows(logits, classes);
  const sums = new Map<string, { labels: number[]; p: number }>();
  for (let code = 0; code < classes ** steps; code++) {
    const path: number[] = [];
    let prob = 1;
    for (let t = 0, rest = code; t < steps; t++, rest = Math.floor(rest / classes)) {
      path.push(rest % classes);
      prob *= p[t * classes + (rest % classes)];
    }
    const labels = collapsePath(path, blank);
    const entry = sums.get(labels.join(',')) ?? { labels, p: 0 };
    entry.p += prob;
    sums.set(labels.join(','), entry);
  }
  return [...sums.values()].sort((a, b) => b.p - a.p);
}

/** Row `b` of path `k` of the decoded tensor, up to its −1 padding. */
function sequence(decoded: km.Tensor, k: number, b: number): number[] {
  const [, batch, steps] = decoded.shape;
  const row = Array.from(decoded.dataSync().slice((k * batch + b) * steps, (k * batch + b + 1) * steps));
  const end = row.indexOf(-1);
  expect(row.slice(end < 0 ? steps : end).every((v) => v === -1)).toBe(true);
  return end < 0 ? row : row.slice(0, end);
}

describe('km.utils.ctcDecode, greedy', () => {
  it.each([
    [true, 0],
    [false, 0],
    [true, 2],
  ])('mergeRepeated=%s, maskIndex=%i: argmax per step, collapsed; score −Σ best logits within each sequence length', (mergeRepeated, maskIndex) => {
    const [batch, steps, classes] = [4, 9, 3];
    const yPred = randomLogits(batch, steps, classes);
    const lengths = [9, 5, 0, 7];
    const [decoded, scores] = km.utils.ctcDecode(yPred, { sequenceLengths: lengths, mergeRepeated, maskIndex });
    expect(decoded.shape).toEqual([1, batch, steps]);
    expect(scores.shape).toEqual([batch, 1]);
    const v = Array.from(yPred.dataSync());
    for (let b = 0; b < batch; b++) {
      const rows = Array.from({ length: lengths[b] }, (_, t) => v.slice((b * steps + t) * classes, (b * steps + t + 1) * classes));
      const path = rows.map((row) => row.indexOf(Math.max(...row)));
      expect(sequence(decoded, 0, b)).toEqual(collapsePath(path, maskIndex, mergeRepeated));
      expect(scores.dataSync()[b]).toBeCloseTo(-rows.reduce((s, row) => s + Math.max(...row), 0), 5);
    }
  });

  it('a repeated label survives only with a blank between its runs', () => {
    // Steps favour 1 1 0 1 2 2: merged, that is 1 1 2.
    const path = [1, 1, 0, 1, 2, 2];
    const yPred = km.tensor(path.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 3 : 0))), [1, 6, 3]);
    expect(sequence(km.utils.ctcDecode(yPred)[0], 0, 0)).toEqual([1, 1, 2]);
  });
});

describe('km.utils.ctcDecode, beam search', () => {
  it.each([
    [5, 3, 0],
    [4, 4, 3],
  ])('%i steps, %i classes, blank %i: the top paths and their log probabilities are those of every alignment summed', (steps, classes, maskIndex) => {
    const batch = 3;
    const yPred = randomLogits(batch, steps, classes);
    const topPaths = 3;
    const [decoded, scores] = km.utils.ctcDecode(yPred, { strategy: 'beam_search', beamWidth: 200, topPaths, maskIndex });
    expect(decoded.shape).toEqual([topPaths, batch, steps]);
    const v = Array.from(yPred.dataSync());
    for (let b = 0; b < batch; b++) {
      const expected = allSequences(v.slice(b * steps * classes, (b + 1) * steps * classes), steps, classes, maskIndex);
      for (let k = 0; k < topPaths; k++) {
        expect(sequence(decoded, k, b)).toEqual(expected[k].labels);
        expect(scores.dataSync()[b * topPaths + k]).toBeCloseTo(Math.log(expected[k].p), 4);
      }
    }
  });

  it('a narrow beam still finds the sequence that dominates', () => {
    const path = [0, 2, 2, 0, 2, 1, 0];
    const yPred = km.tensor(path.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 4 : 0))), [1, 7, 3]);
    expect(sequence(km.utils.ctcDecode(yPred, { strategy: 'beam_search', beamWidth: 2 })[0], 0, 0)).toEqual([2, 2, 1]);
  });
});

describe('km.utils.ctcDecode refuses bad options', () => {
  const yPred = randomLogits(2, 3, 4);
  it.each([
    ['logits of rank 2', () => km.utils.ctcDecode(km.tensor([1, 2, 3, 4], [2, 2])), /km\.utils\.ctcDecode expects logits of shape \[batch, steps, classes\]\. Received: shape \[2, 2\]\./],
    ['an unknown strategy', () => km.utils.ctcDecode(yPred, { strategy: 'beam' as never }), /strategy must be 'greedy' or 'beam_search'\. Received: strategy="beam"\./],
    ['topPaths with greedy', () => km.utils.ctcDecode(yPred, { topPaths: 2 }), /topPaths=2 needs strategy 'beam_search'; greedy decoding finds one path per sample\./],
    ['topPaths above beamWidth', () => km.utils.ctcDecode(yPred, { strategy: 'beam_search', beamWidth: 2, topPaths: 3 }), /topPaths must be an integer from 1 to beamWidth \(2\)\. Received: topPaths=3\./],
    ['a zero beamWidth', () => km.utils.ctcDecode(yPred, { strategy: 'beam_search', beamWidth: 0 }), /beamWidth must be an integer ≥ 1\. Received: beamWidth=0\./],
    ['maskIndex out of range', () => km.utils.ctcDecode(yPred, { maskIndex: 4 }), /maskIndex must be a class index from 0 to 3\. Received: maskIndex=4\./],
    ['sequenceLengths of the wrong count', () => km.utils.ctcDecode(yPred, { sequenceLengths: [3] }), /sequenceLengths must give one integer in \[0, 3\] per sample \(2 of them\)\. Received: \[3\]\./],
    ['a sequence length past the steps', () => km.utils.ctcDecode(yPred, { sequenceLengths: [3, 4] }), /sequenceLengths must give one integer in \[0, 3\] per sample/],
    ['a snake_case option', () => km.utils.ctcDecode(yPred, { beam_width: 3 } as never), /has no option 'beam_width'; did you mean 'beamWidth'\?/],
  ])('%s', (_label, run, message) => {
    expect(run).toThrow(message);
  });
});
