import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as km from '@kerasm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonFinitePredictionsWarning } from './non_finite_predictions.js';
import { buildCli, kerasm } from './testing/cli_binary.js';

const DIVERGED = "The model's weights hold NaN or Infinity, so its training diverged: train it again with a lower learning rate (--learning-rate, or compile.optimizer's learningRate in a --config file), and check the training data for NaN.";
const OVERFLOW = "The model's weights are finite, so its values overflow: check the inputs for values far outside the range it was trained on (unscaled features, a wrong column); if its training loss grew instead of falling, train it again with a lower learning rate.";

describe('nonFinitePredictionsWarning', () => {
  it('counts the samples and values that are NaN or ±Infinity, and says why they likely are', () => {
    const outputs = new Float32Array([NaN, 1, 2, 3, Infinity, -Infinity]);
    expect(nonFinitePredictionsWarning(outputs, 2, 'row', () => false)).toEqual([`2 of 3 rows (3 of 6 predicted values) came out NaN or ±Infinity. ${DIVERGED}`]);
    expect(nonFinitePredictionsWarning(new Float32Array([Infinity]), 1, 'image', () => true)).toEqual([`1 of 1 image (1 of 1 predicted value) came out NaN or ±Infinity. ${OVERFLOW}`]);
  });

  it('says nothing, and reads no weights, when every prediction is finite', () => {
    expect(nonFinitePredictionsWarning(new Float32Array([0, -1e38, 3.4e38]), 3, 'row', () => { throw new Error('weights read'); })).toEqual([]);
  });
});

// Through the built binary: stdout keeps its format (NaN in text, null in valid JSON), the warning goes to stderr.
describe('kerasm predict with predictions that are not finite', () => {
  let dir: string;
  beforeAll(async () => {
    await buildCli();
    await km.ready();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-non-finite-'));
    // A classifier whose training diverged: one weight is NaN, so every prediction is.
    const diverged = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    diverged.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    diverged.setWeights([km.tensor([NaN, 0, 0, 0, 0, 0], [2, 3]), km.tensor([0, 0, 0], [3])]);
    await diverged.save(`file://${join(dir, 'diverged')}`);
    // A regressor with finite weights that overflows float32 on large inputs.
    const large = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [2] })] });
    large.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    large.setWeights([km.tensor([1e30, 1], [2, 1]), km.tensor([0], [1])]);
    await large.save(`file://${join(dir, 'large')}`);
    await writeFile(join(dir, 'rows.csv'), 'a,b,label\n1,2,0\n1e9,1,1\n3,4,2\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('warns on stderr how many predictions are NaN and that training diverged, keeping stdout as it was', async () => {
    const text = await kerasm('predict', join(dir, 'diverged'), '--input', join(dir, 'rows.csv'));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n')[1]).toMatch(/^ +0 +\d +0  [✓✗] +NaN%$/);
    expect(text.stderr).toBe(`kerasm: warning: 3 of 3 rows (9 of 9 predicted values) came out NaN or ±Infinity. ${DIVERGED}\n`);
    const json = await kerasm('predict', join(dir, 'diverged'), '--input', join(dir, 'rows.csv'), '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).predictions[0]).toEqual({ index: 0, predicted: 0, actual: 0, confidence: null, probabilities: [null, null, null] });
    expect(json.stderr).toBe(text.stderr);
  });

  it('blames the inputs when the weights are finite', async () => {
    const { code, stdout, stderr } = await kerasm('predict', join(dir, 'large'), '--input', join(dir, 'rows.csv'), '--json');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).predictions.map((p: { output: (number | null)[] }) => p.output[0] === null)).toEqual([false, true, false]);
    expect(stderr).toBe(`kerasm: warning: 1 of 3 rows (1 of 3 predicted values) came out NaN or ±Infinity. ${OVERFLOW}\n`);
  });
});
