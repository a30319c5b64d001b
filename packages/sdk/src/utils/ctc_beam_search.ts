import type { DecodedPath } from './ctc_decode.js';

// CTC prefix beam search: each prefix (a label sequence so far) carries the log probability of the
// paths that spell it and end in a blank, and of those that end in its last label, because a
// repeated label extends the prefix only after a blank.

interface Beam {
  labels: number[];
  endsBlank: number;
  endsLabel: number;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
}

const total = (beam: Beam) => logAdd(beam.endsBlank, beam.endsLabel);

function logSoftmaxRow(logits: Float32Array, t: number, classes: number): number[] {
  const row = Array.from(logits.subarray(t * classes, (t + 1) * classes));
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return row.map((v) => v - lse);
}

/** The `topPaths` most probable label sequences of `steps` steps of logits, with their log probabilities. */
export function beamSearchDecode(logits: Float32Array, steps: number, classes: number, blank: number, beamWidth: number, topPaths: number): DecodedPath[] {
  let beams: Beam[] = [{ labels: [], endsBlank: 0, endsLabel: -Infinity }];
  for (let t = 0; t < steps; t++) {
    const logp = logSoftmaxRow(logits, t, classes);
    const next = new Map<string, Beam>();
    const extend = (labels: number[]): Beam => {
      const key = labels.join(',');
      let beam = next.get(key);
      if (!beam) next.set(key, (beam = { labels, endsBlank: -Infinity, endsLabel: -Infinity }));
      return beam;
    };
    for (const beam of beams) {
      const stay = extend(beam.labels);
      stay.endsBlank = logAdd(stay.endsBlank, total(beam) + logp[blank]);
      const last = beam.labels.length > 0 ? beam.labels[beam.labels.length - 1] : -1;
      for (let c = 0; c < classes; c++) {
        if (c === blank) continue;
        const grown = extend([...beam.labels, c]);
        if (c === last) {
          // The same label again starts a new one only after a blank; otherwise it continues the last.
          grown.endsLabel = logAdd(grown.endsLabel, beam.endsBlank + logp[c]);
          stay.endsLabel = logAdd(stay.endsLabel, beam.endsLabel + logp[c]);
        } else {
          grown.endsLabel = logAdd(grown.endsLabel, total(beam) + logp[c]);
        }
      }
    }
    beams = [...next.values()].sort((a, b) => total(b) - total(a)).slice(0, beamWidth);
  }
  return beams.slice(0, topPaths).map((beam) => ({ labels: beam.labels, score: total(beam) }));
}
