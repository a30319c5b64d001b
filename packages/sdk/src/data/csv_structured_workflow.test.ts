// keras.io's "Structured data classification" in miniature: a CSV with a text column, read by
// km.data.csv, encoded with preprocessing layers adapted on plain arrays, and fit.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

const THAL = ['fixed', 'normal', 'reversible'];

/** Rows like heart.csv's, from a fixed pseudo-random sequence; the target follows thal and age, so there is something to learn. */
function heartText(n: number): string {
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['age,cp,chol,thal,target'];
  for (let i = 0; i < n; i++) {
    const age = 30 + Math.floor(next() * 45);
    const cp = 1 + Math.floor(next() * 4);
    const chol = 150 + Math.floor(next() * 200);
    const thal = THAL[Math.floor(next() * 3)];
    lines.push(`${age},${cp},${chol},${thal},${thal === 'reversible' || age > 60 ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

/** 2-D tensors side by side (axis 1), by hand. */
function concatColumns(parts: km.Tensor[]): km.Tensor {
  const rows = parts[0].shape[0];
  const width = parts.reduce((w, p) => w + p.shape[1], 0);
  const out = new Float32Array(rows * width);
  let offset = 0;
  for (const part of parts) {
    const values = part.dataSync();
    const w = part.shape[1];
    for (let r = 0; r < rows; r++) out.set(values.subarray(r * w, (r + 1) * w), r * width + offset);
    offset += w;
  }
  return km.tensor(out, [rows, width]);
}

describe('a CSV with a text column, encoded and fit (keras.io structured data)', () => {
  it('encodes thal with stringLookup, cp with integerLookup and normalizes age and chol per batch, matching a naive parse, and trains', async () => {
    const text = heartText(48);
    const path = join(mkdtempSync(join(tmpdir(), 'kerasm-heart-')), 'heart.csv');
    writeFileSync(path, text);
    const rows = km.data.csv(path, { labelColumn: 'target', columnConfigs: { thal: { dtype: 'string' } } });

    // Adapt on plain arrays, as Keras' adapt takes lists.
    const all = await rows.toArray();
    const thal = km.layers.stringLookup({ outputMode: 'one_hot' });
    await thal.adapt(all.map((r) => r.xs.thal));
    const cp = km.layers.integerLookup({ outputMode: 'one_hot' });
    await cp.adapt(all.map((r) => r.xs.cp as number));
    const norm = km.layers.normalization();
    await norm.adapt(all.map((r) => [r.xs.age as number, r.xs.chol as number]));

    const encoded = rows.batch(16).map(({ xs, ys }) => {
      const [age, chol, cpValues] = [xs.age, xs.chol, xs.cp] as km.Tensor[];
      const numbers = km.tensor(Array.from(age.dataSync(), (a, i) => [a, chol.dataSync()[i]]));
      return { xs: concatColumns([norm.apply(numbers), cp.apply(cpValues.reshape([-1, 1])), thal.apply(xs.thal)]), ys: (ys as km.Tensor).reshape([-1, 1]) };
    });

    // The naive reference: split the text, standardize with float64 statistics, one-hot by each vocabulary.
    const parsed = text.trim().split('\n').slice(1).map((line) => line.split(','));
    const stats = [0, 2].map((c) => {
      const values = parsed.map((p) => Number(p[c]));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { c, mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
    });
    const oneHot = (vocabulary: readonly unknown[], value: unknown) => vocabulary.map((v) => (v === value ? 1 : 0));
    expect(new Set(thal.getVocabulary().slice(1))).toEqual(new Set(THAL));
    expect(cp.getVocabulary().slice(1).sort()).toEqual([1, 2, 3, 4]);
    const naive = parsed.map((p) => [...stats.map(({ c, mean, std }) => (Number(p[c]) - mean) / std), ...oneHot(cp.getVocabulary(), Number(p[1])), ...oneHot(thal.getVocabulary(), p[3])]);
    const batches = await encoded.toArray();
    expect(batches.map((b) => b.xs.shape)).toEqual([[16, 11], [16, 11], [16, 11]]);
    const values = batches.flatMap((b) => Array.from(b.xs.dataSync()));
    naive.flat().forEach((v, i) => expect(values[i], `value ${i}`).toBeCloseTo(v, 5));
    expect(batches.flatMap((b) => Array.from(b.ys.dataSync()))).toEqual(parsed.map((p) => Number(p[4])));

    // Encoding an element before batching gives the same one-hot row.
    const [first] = await rows.take(1).map((e) => Array.from(thal.apply(e.xs.thal).dataSync())).toArray();
    expect(first).toEqual(oneHot(thal.getVocabulary(), parsed[0][3]));

    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [11] })]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
    const history = await model.fit(encoded, { epochs: 15, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);
  });
});
