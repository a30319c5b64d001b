import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as km from '@kerasm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kerasm } from './testing/cli_binary.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const blobsTest = join(examples, 'blobs-test.csv');

interface ClassRow {
  predicted: number;
  actual?: number;
  confidence: number;
  probabilities: number[];
}

/** A copy of the saved model in `dir` without the CSV columns kerasm records, as models saved before it did. */
async function withoutRecordedColumns(dir: string): Promise<string> {
  const copy = `${dir}-unnamed`;
  await cp(dir, copy, { recursive: true });
  const modelJson = JSON.parse(await readFile(join(copy, 'model.json'), 'utf8'));
  delete modelJson.userDefinedMetadata;
  await writeFile(join(copy, 'model.json'), JSON.stringify(modelJson));
  return copy;
}

async function json(...args: string[]): Promise<any> {
  const { code, stdout, stderr } = await kerasm(...args, '--json');
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

describe('evaluate and predict on CSV data (through the built binary)', () => {
  let dir: string;
  let blobs: string;
  let trained: { test: { loss: number; accuracy: number } };
  let rows: string[];
  beforeAll(async () => {
    await buildCli();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-csv-cli-'));
    blobs = join(dir, 'blobs');
    trained = await json('train', '--config', join(examples, 'blobs.json'), '--save', blobs);
    rows = (await readFile(blobsTest, 'utf8')).trim().split('\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('evaluate --data reports exactly what training reported on the same test file', async () => {
    // Training evaluated in batches of the config's 32; the same batches sum the loss in the same order.
    expect(await json('evaluate', blobs, '--data', blobsTest, '--batch-size', '32')).toEqual({ test: trained.test, samples: rows.length - 1 });
    const human = await kerasm('evaluate', blobs, '--data', blobsTest, '--batch-size', '7');
    expect(human.stdout.trim()).toMatch(/^Test loss: \d\.\d{4} {2}Test accuracy: \d\.\d{4}$/);
    expect(Number(human.stdout.match(/accuracy: (\S+)/)![1])).toBeCloseTo(trained.test.accuracy, 4);
  });

  it('evaluate and predict on a TensorFlow.js backend agree with the wasm backend', async () => {
    const onTfjs = await json('evaluate', blobs, '--data', blobsTest, '--batch-size', '32', '--backend', 'tfjs-cpu');
    expect(onTfjs.test.loss).toBeCloseTo(trained.test.loss, 5);
    expect(onTfjs.test.accuracy).toBeCloseTo(trained.test.accuracy, 10);
    const predicted = async (backend: string) => ((await json('predict', blobs, '--input', blobsTest, '--backend', backend)).predictions as ClassRow[]).map((p) => p.predicted);
    expect(await predicted('tfjs-cpu')).toEqual(await predicted('wasm'));
  });

  it("predict --input FILE.csv classifies each row, as often right as evaluate's accuracy, with or without the label column", async () => {
    const { predictions } = (await json('predict', blobs, '--input', blobsTest)) as { predictions: ClassRow[] };
    expect(predictions).toHaveLength(rows.length - 1);
    const right = predictions.filter((p) => p.predicted === p.actual).length;
    expect(right / predictions.length).toBeCloseTo(trained.test.accuracy, 10);
    for (const p of predictions) {
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.confidence).toBe(Math.max(...p.probabilities));
    }
    const unlabeled = join(dir, 'unlabeled.csv');
    await writeFile(unlabeled, rows.slice(0, 6).map((r) => r.split(',').slice(0, 4).join(';')).join('\n'));
    const bare = (await json('predict', blobs, '--input', unlabeled, '--delimiter', ';')).predictions as ClassRow[];
    expect(bare.map((p) => p.predicted)).toEqual(predictions.slice(0, 5).map((p) => p.predicted));
    expect(bare[0].actual).toBeUndefined();
    const text = await kerasm('predict', blobs, '--input', unlabeled, '--delimiter', ';');
    expect(text.stdout.split('\n')[0]).toMatch(/^row 0: \d \(\d+\.\d%\)$/);
  });

  it('a regressor from a config trains on [n] targets, then evaluates (printing R² and log-cosh by name) and predicts values', async () => {
    let seed = 1;
    const uniform = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const samples = Array.from({ length: 300 }, () => [uniform(), uniform()]);
    const csv = join(dir, 'linear.csv');
    await writeFile(csv, ['a,b,y', ...samples.map(([a, b]) => `${a},${b},${2 * a - b + 0.5}`)].join('\n'));
    const config = join(dir, 'linear.json');
    await writeFile(config, JSON.stringify({
      seed: 1,
      data: { source: 'csv', path: 'linear.csv', labelColumn: 'y' },
      model: [{ type: 'dense', units: 1, inputShape: [2] }],
      compile: { optimizer: { type: 'adam', learningRate: 0.05 }, loss: 'meanSquaredError', metrics: ['mae', 'r2_score', 'logcosh'] },
      fit: { epochs: 30, batchSize: 16, validationSplit: 0.25 },
    }));
    const saved = join(dir, 'linear');
    const report = await json('train', '--config', config, '--save', saved);
    expect(Object.keys(report.test)).toEqual(['loss', 'mae', 'r2_score', 'logcosh']);
    // Each epoch has every metric its logs carry, as the progress bar shows them.
    expect(Object.keys(report.epochs[0])).toEqual(['epoch', 'loss', 'mae', 'r2_score', 'logcosh', 'val_loss', 'val_mae', 'val_r2_score', 'val_logcosh', 'seconds']);
    expect(report.test.mae).toBeLessThan(0.02);
    // Without --label-column, the target column is the one the model recorded ('y').
    const evaluated = await json('evaluate', saved, '--data', csv);
    expect(evaluated.samples).toBe(300);
    expect(evaluated.test.mae).toBeLessThan(0.02);
    expect(evaluated.test.r2_score).toBeGreaterThan(0.999);
    // log cosh d ≈ d²/2 for small errors.
    expect(evaluated.test.logcosh).toBeCloseTo(evaluated.test.loss / 2, 4);
    const human = await kerasm('evaluate', saved, '--data', csv, '--label-column', 'y');
    expect(human.stdout).toContain(`Test r2_score: ${evaluated.test.r2_score.toFixed(4)}  Test logcosh: ${evaluated.test.logcosh.toFixed(4)}`);
    const { predictions } = await json('predict', saved, '--input', csv);
    predictions.slice(0, 5).forEach((p: { output: number[]; actual: number }, i: number) => {
      expect(p.actual).toBe(2 * samples[i][0] - samples[i][1] + 0.5);
      expect(p.output[0]).toBeCloseTo(p.actual, 1);
    });
  });

  it('errors name the mismatch and the fix', async () => {
    const mnist = await kerasm('evaluate', blobs);
    expect(mnist.code).toBe(1);
    expect(mnist.stderr).toContain("takes samples of shape [4], not MNIST's 28x28 images. Evaluate it on your data: kerasm evaluate");
    const noLabels = join(dir, 'features.csv');
    await writeFile(noLabels, rows.map((r) => r.split(',').slice(0, 4).join(',')).join('\n'));
    expect((await kerasm('evaluate', blobs, '--data', noLabels)).stderr).toContain("has no column 'label' holding the targets. Its columns are: sepal, petal, stem, leaf. Name the target column with --label-column NAME.");
    expect((await kerasm('predict', blobs, '--input', noLabels, '--label-column', 'kind')).stderr).toContain("has no column 'kind'");
    const headerOnly = join(dir, 'header.csv');
    await writeFile(headerOnly, `${rows[0]}\n`);
    expect((await kerasm('evaluate', blobs, '--data', headerOnly)).stderr).toContain('header.csv has a header but no rows: there is nothing to evaluate.');
    expect((await kerasm('predict', blobs, '--input', headerOnly)).stderr).toContain('header.csv has a header but no rows: there is nothing to predict.');
    const folder = join(dir, 'folder.csv');
    await mkdir(folder);
    expect(await kerasm('predict', blobs, '--input', folder)).toMatchObject({ code: 1, stderr: `kerasm: --input ${folder} is a folder, not a CSV file. Pass the path of a .csv file.\n` });
    const extra = join(dir, 'extra.csv');
    await writeFile(extra, rows.map((r) => `${r},1`).join('\n').replace(/label,1/, 'label,extra'));
    const wide = await kerasm('predict', blobs, '--input', extra);
    expect(wide.code).toBe(1);
    expect(wide.stderr).toContain("the model does not know its column 'extra'. Rename or remove columns to match");
    const unnamed = await kerasm('predict', await withoutRecordedColumns(blobs), '--input', extra);
    expect(unnamed.stderr).toContain('takes samples of shape [4] (4 values), but --input');
    expect(unnamed.stderr).toContain('has 5 feature columns (sepal, petal, stem, leaf, extra)');
    // An empty cell: the advice is what a user of this command can do (it takes no column defaults).
    const holes = join(dir, 'holes.csv');
    await writeFile(holes, [rows[0], rows[1].replace(/^[^,]*/, ''), rows[2]].join('\n'));
    for (const [command, flag] of [['evaluate', '--data'], ['predict', '--input']]) {
      const { code, stderr } = await kerasm(command, blobs, flag, holes);
      expect(code).toBe(1);
      expect(stderr).toContain("line 2, column 'sepal' (column 1) is empty. Fill in the value or drop the row.");
    }
  });

  it("reads a file's columns by the names the model was trained on, in any order, and refuses other names", async () => {
    expect(JSON.parse(await readFile(join(blobs, 'model.json'), 'utf8')).userDefinedMetadata).toEqual({ kerasm_csv_columns: { features: ['sepal', 'petal', 'stem', 'leaf'], label: 'label' } });
    const order = [1, 4, 3, 0, 2]; // petal, label, leaf, sepal, stem
    const reordered = join(dir, 'reordered.csv');
    await writeFile(reordered, rows.map((r) => order.map((i) => r.split(',')[i]).join(',')).join('\n'));
    expect(await json('predict', blobs, '--input', reordered)).toEqual(await json('predict', blobs, '--input', blobsTest));
    expect(await json('evaluate', blobs, '--data', reordered, '--batch-size', '32')).toEqual({ test: trained.test, samples: rows.length - 1 });
    const quiet = await kerasm('predict', blobs, '--input', reordered, '--json');
    expect(quiet.stderr).toBe('');
    for (const [command, flag] of [['predict', '--input'], ['evaluate', '--data']]) {
      const human = await kerasm(command, blobs, flag, reordered);
      expect(human.code).toBe(0);
      expect(human.stderr).toBe(`kerasm: note: ${flag} ${reordered} has the model's columns in another order; they are read by name (sepal, petal, stem, leaf).\n`);
    }
    const renamed = join(dir, 'renamed.csv');
    await writeFile(renamed, rows.join('\n').replace(/^sepal,petal/, 'sepal,width'));
    for (const [command, flag] of [['predict', '--input'], ['evaluate', '--data']]) {
      const refused = await kerasm(command, blobs, flag, renamed, '--json');
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout).error).toBe(
        `${flag} ${renamed} does not have the columns the model was trained on (sepal, petal, stem, leaf; targets in 'label'): it has no column 'petal'; the model does not know its column 'width'. Rename or remove columns to match; their order does not matter.`,
      );
    }
    // A model saved before the names were recorded, and a file without a header, are read by position.
    const old = await withoutRecordedColumns(blobs);
    expect((await kerasm('predict', old, '--input', reordered)).stderr).toBe('');
    expect((await kerasm('predict', old, '--input', renamed)).code).toBe(0);
    const headless = join(dir, 'headless.csv');
    await writeFile(headless, rows.slice(1).map((r) => r.split(',').slice(0, 4).join(',')).join('\n'));
    // Its first line holds only numbers, so it is a row, not a header.
    const predicted = ((await json('predict', blobs, '--input', headless)).predictions as ClassRow[]).map((p) => p.predicted);
    expect(predicted).toEqual(((await json('predict', blobs, '--input', blobsTest)).predictions as ClassRow[]).map((p) => p.predicted));
    // One column more than the model's features is the target, last.
    const headlessLabeled = join(dir, 'headless-labeled.csv');
    await writeFile(headlessLabeled, rows.slice(1).join('\n'));
    for (const model of [blobs, old]) {
      expect(await json('evaluate', model, '--data', headlessLabeled, '--batch-size', '32')).toEqual({ test: trained.test, samples: rows.length - 1 });
    }
    const unlabeled = await kerasm('evaluate', blobs, '--data', headless);
    expect(unlabeled.code).toBe(1);
    expect(unlabeled.stderr).toContain(`--data ${headless} has no header line (its first line holds only numbers), so its columns are read by position: expected 5 columns (the model's 4 features, then the target), but it has 4.`);
  });

  it('points a file read as one column to --delimiter, names the file line of a bad label, and words bad cells for the command', async () => {
    const semicolons = join(dir, 'semicolons.csv');
    await writeFile(semicolons, `${rows.slice(0, 3).join('\n').replace(/,/g, ';')}\n`);
    for (const args of [['predict', blobs, '--input', semicolons], ['evaluate', blobs, '--data', semicolons]]) {
      const { code, stderr } = await kerasm(...args);
      expect(code).toBe(1);
      expect(stderr).toContain(`${semicolons} reads as one column, 'sepal;petal;stem;leaf;label', with the delimiter ","; its header looks separated by ";". Pass --delimiter ';'.`);
    }
    const label7 = join(dir, 'label7.csv');
    await writeFile(label7, `${rows[0]}\n${rows[1]}\n\n${rows[2].replace(/\d$/, '7')}\n`);
    const bad = await kerasm('evaluate', blobs, '--data', label7);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`kerasm: --data ${label7}, line 4: label 7 is out of range for the model's 3-class output (valid labels: 0 to 2). Fix the label, or give the last layer more units.\n`);
    const word = join(dir, 'word.csv');
    await writeFile(word, `${rows[0]}\n${rows[1].replace(/^[^,]+/, 'abc')}\n`);
    expect((await kerasm('predict', blobs, '--input', word)).stderr).toMatch(/line 2, column 'sepal' .* holds 'abc', which is not a number\. Encode categories as numbers \(0, 1, 2, \.\.\.\) before predicting\.\n$/);
    expect((await kerasm('evaluate', blobs, '--data', word)).stderr).toMatch(/before evaluating\.\n$/);
  });

  it('refuses a model without its loss when its one output value is ambiguous, and a model with two outputs', async () => {
    await km.ready();
    const single = km.sequential([km.layers.dense({ units: 1, inputShape: [4] })]);
    await single.save(join(dir, 'uncompiled'));
    const unknown = await kerasm('evaluate', join(dir, 'uncompiled'), '--data', blobsTest);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('was saved without its training config, so its loss is unknown');
    const input = km.input({ shape: [4] });
    const twoHeads = km.model({ inputs: input, outputs: [km.layers.dense({ units: 3 }).apply(input), km.layers.dense({ units: 1 }).apply(input)] as km.SymbolicTensor[] });
    await twoHeads.save(join(dir, 'two'));
    const two = await kerasm('predict', join(dir, 'two'), '--input', blobsTest);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('has 1 input and 2 outputs; kerasm evaluate and predict take a model with one of each');
  });
});
