import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// A learning check of the CTC loss and greedy decoding: a small Conv1D model reads strips of 2 to 4
// noisy glyphs (symbols 1-4, repeats included) written at random places, with no alignment given,
// only the label sequence. Its greedy decoding must read most held-out strips exactly.
beforeAll(() => km.ready());

const [STEPS, FEATURES, GLYPH_WIDTH, SYMBOLS, MAX_LABELS] = [24, 6, 3, 4, 4];

function glyphs(random: Random): number[][] {
  return Array.from({ length: SYMBOLS }, () => Array.from({ length: GLYPH_WIDTH * FEATURES }, () => (random.uniform(0, 1) < 0.5 ? 1 : -1)));
}

/** n strips: each glyph is GLYPH_WIDTH steps of its pattern, gaps of 1-2 steps between, noise everywhere. */
function strips(n: number, shapes: number[][], random: Random): { x: km.Tensor; y: km.Tensor; labels: number[][] } {
  const x = new Float32Array(n * STEPS * FEATURES).map(() => random.uniform(-0.3, 0.3));
  const y = new Int32Array(n * MAX_LABELS);
  const labels: number[][] = [];
  for (let s = 0; s < n; s++) {
    const count = 2 + Math.floor(random.uniform(0, MAX_LABELS - 1));
    const row = Array.from({ length: count }, () => 1 + Math.floor(random.uniform(0, SYMBOLS)));
    let t = Math.floor(random.uniform(0, 3));
    for (const symbol of row) {
      for (let i = 0; i < GLYPH_WIDTH * FEATURES; i++) x[(s * STEPS + t) * FEATURES + i] += shapes[symbol - 1][i];
      t += GLYPH_WIDTH + 1 + Math.floor(random.uniform(0, 2));
    }
    y.set(row, s * MAX_LABELS);
    labels.push(row);
  }
  return { x: km.tensor(x, [n, STEPS, FEATURES]), y: km.tensor(y, [n, MAX_LABELS], 'int32'), labels };
}

describe('CTC learning', () => {
  it('a Conv1D model trained with loss ctc reads held-out glyph strips by greedy decoding', async () => {
    km.utils.setRandomSeed(5);
    const random = new Random(29);
    const shapes = glyphs(random);
    const train = strips(1024, shapes, random);
    const test = strips(200, shapes, random);
    const model = km.sequential([
      km.layers.conv1d({ filters: 48, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [STEPS, FEATURES] }),
      km.layers.conv1d({ filters: 48, kernelSize: 5, padding: 'same', activation: 'relu' }),
      km.layers.dense({ units: SYMBOLS + 1 }),
    ]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.003 }), loss: 'ctc' });
    const history = await model.fit(train.x, train.y, { epochs: 10, batchSize: 32, verbose: 0 });
    const logits = model.predict(test.x) as km.Tensor;
    const accuracy = (decoded: km.Tensor) => {
      const values = decoded.dataSync();
      const read = test.labels.filter((labels, s) => {
        const row = Array.from(values.slice(s * STEPS, (s + 1) * STEPS)).filter((c) => c >= 0);
        return row.length === labels.length && row.every((c, i) => c === labels[i]);
      });
      return read.length / test.labels.length;
    };
    const greedy = accuracy(km.utils.ctcDecode(logits)[0]);
    const beam = accuracy(km.utils.ctcDecode(logits, { strategy: 'beam_search', beamWidth: 8 })[0]);
    console.log(`CTC glyph strips: loss ${history.history.loss[0].toFixed(3)} → ${history.history.loss.at(-1)!.toFixed(3)}, held-out sequence accuracy greedy ${greedy}, beam search ${beam}`);
    expect(greedy).toBeGreaterThan(0.95);
    expect(beam).toBeGreaterThan(0.95);
  }, 120_000);
});
