import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as km from '@kerasm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kerasm } from './testing/cli_binary.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const blobsTest = join(examples, 'blobs-test.csv');

async function json(...args: string[]): Promise<any> {
  const { code, stdout, stderr } = await kerasm(...args, '--json');
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

// The TensorFlow.js MNIST tutorial compiles with categoricalCrossentropy; the CLI's labels are integers.
describe('models whose loss takes one-hot targets (through the built binary)', () => {
  let dir: string;
  beforeAll(async () => {
    await buildCli();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-one-hot-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('evaluate --data one-hot encodes the label column: loss and accuracy as a naive loop over the rows gives them', async () => {
    km.utils.setRandomSeed(7);
    const model = km.sequential([km.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), km.layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const saved = join(dir, 'csv-model');
    await model.save(saved);

    const rows = (await readFile(blobsTest, 'utf8')).trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
    const probabilities = await model.predict(km.tensor(rows.flatMap((r) => r.slice(0, 4)), [rows.length, 4])).data();
    let loss = 0;
    let right = 0;
    rows.forEach((row, i) => {
      const p = Array.from(probabilities.slice(i * 3, i * 3 + 3));
      loss -= Math.log(p[row[4]]);
      if (p.indexOf(Math.max(...p)) === row[4]) right++;
    });
    const { test, samples } = await json('evaluate', saved, '--data', blobsTest);
    expect(samples).toBe(rows.length);
    expect(test.loss).toBeCloseTo(loss / rows.length, 5);
    expect(test.accuracy).toBeCloseTo(right / rows.length, 10);
  });

  it('evaluate on MNIST one-hot encodes the digits: the same loss as the model compiled with sparse labels', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.dense({ units: 10, activation: 'softmax', inputShape: [784] })]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const saved = join(dir, 'mnist-model');
    await model.save(saved);
    const { test: onCli } = await json('evaluate', saved);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const { test } = await km.datasets.mnist.load();
    const [loss, accuracy] = await model.evaluate(test.x.reshape([test.x.shape[0], 784]), test.y, { verbose: 0 });
    expect(onCli.loss).toBeCloseTo(loss, 5);
    expect(onCli.accuracy).toBe(accuracy);
  });

  it('train --config with categoricalCrossentropy on a CSV trains as sparseCategoricalCrossentropy does on its labels', async () => {
    const blobs = JSON.parse(await readFile(join(examples, 'blobs.json'), 'utf8'));
    const run = async (loss: string) => {
      const config = join(dir, `${loss}.json`);
      const data = { ...blobs.data, path: join(examples, blobs.data.path), testPath: join(examples, blobs.data.testPath) };
      await writeFile(config, JSON.stringify({ ...blobs, data, compile: { ...blobs.compile, loss }, fit: { ...blobs.fit, epochs: 2, callbacks: [] } }));
      return json('train', '--config', config, '--save', join(dir, loss));
    };
    const [oneHot, sparse] = [await run('categoricalCrossentropy'), await run('sparseCategoricalCrossentropy')];
    expect(oneHot.epochs).toHaveLength(2);
    for (const [a, b] of oneHot.epochs.map((e: any, i: number) => [e, sparse.epochs[i]])) {
      expect(a.loss).toBeCloseTo(b.loss, 5);
      expect(a.val_loss).toBeCloseTo(b.val_loss, 5);
    }
    expect(oneHot.test.loss).toBeCloseTo(sparse.test.loss, 5);
    expect(oneHot.test.accuracy).toBeCloseTo(sparse.test.accuracy, 10);
    // The saved model evaluates on its own test file as training reported.
    const evaluated = await json('evaluate', join(dir, 'categoricalCrossentropy'), '--data', blobsTest, '--batch-size', String(blobs.fit.batchSize));
    expect(evaluated.test.loss).toBeCloseTo(oneHot.test.loss, 6);
  });

  it('names the file line of a label outside the classes, before one-hot encoding refuses it', async () => {
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'softmax', inputShape: [4] })]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const saved = join(dir, 'two-classes');
    await model.save(saved);
    const { code, stderr } = await kerasm('evaluate', saved, '--data', blobsTest);
    expect(code).toBe(1);
    expect(stderr).toMatch(/blobs-test\.csv, line \d+: label 2 is out of range for the model's 2-class output \(valid labels: 0 to 1\)\./);
  });
});
