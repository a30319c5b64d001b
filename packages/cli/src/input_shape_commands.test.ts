import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as km from '@kerasm/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCommandLine } from './args.js';
import { runEvaluate } from './commands/evaluate.js';
import { loadWithInputShapes } from './commands/load_with_input_shapes.js';
import { runPredict } from './commands/predict.js';
import { runSummary } from './commands/summary.js';
import { UsageError } from './errors.js';
import { parseInputShapes } from './input_shape_flag.js';
import { saveWithUnknownDims, TEXT_LENGTH as LENGTH, textModel } from './testing/text_model.js';

// A text model saved with tokens of shape (None, None), as tfjs and Keras save one over sequences
// of any length: it runs at the length of the data, or at the one --input-shape fixes.

// Four sequences of 5 token ids, then each one's class.
const rows = [
  [3, 1, 4, 1, 5, 0],
  [9, 2, 6, 5, 3, 2],
  [5, 8, 9, 7, 9, 1],
  [0, 0, 2, 8, 4, 2],
];

/** `rows` as a CSV file with a header line: a column per token, then the label column. */
function withHeader(tokens: number): string {
  const header = [...Array.from({ length: tokens }, (_, i) => `t${i}`), 'label'].join(',');
  return [header, ...rows.map((r) => [...r.slice(0, tokens), r[LENGTH]].join(','))].join('\n');
}

/** tokens (None, None) and features (None, 3), pooled and joined into one Dense output. */
function twoInputModel(): km.LayersModel {
  const tokens = km.input({ shape: [LENGTH], name: 'tokens' });
  const features = km.input({ shape: [3], name: 'features' });
  const pooled = km.layers.globalAveragePooling1d().apply(km.layers.embedding({ inputDim: 10, outputDim: 2 }).apply(tokens));
  const joined = km.layers.concatenate().apply([pooled, features]);
  return km.model({ inputs: [tokens, features], outputs: km.layers.dense({ units: 2 }).apply(joined) });
}

/**
 * Runs `kerasm ...args --json` in this process, from parsing the command line to the JSON line it
 * prints (the built binary costs a compile of the CLI, too slow here; main.test runs that).
 */
async function json(...args: string[]): Promise<any> {
  const command = parseCommandLine([...args, '--json']);
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  try {
    if (command.kind === 'predict') await runPredict(command.options);
    else if (command.kind === 'evaluate') await runEvaluate(command.options);
    else if (command.kind === 'summary') await runSummary(command.options);
    else throw new Error(`not a model command: ${args.join(' ')}`);
  } finally {
    write.mockRestore();
  }
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

/** The usage error loading `dir` with `--input-shape` values `raws` gives. */
async function loadError(dir: string, ...raws: string[]): Promise<UsageError> {
  const err = await loadWithInputShapes(dir, parseInputShapes(raws, 'kerasm predict --help'), 'kerasm predict --help').then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('--input-shape on a model saved with unknown input dimensions', () => {
  let dir: string;
  let text: string;
  let twoInputs: string;
  let csv: string;
  let headed: string;
  let short: string;
  beforeAll(async () => {
    await km.ready();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-input-shape-'));
    [text, twoInputs, csv, headed, short] = [join(dir, 'text'), join(dir, 'two'), join(dir, 'tokens.csv'), join(dir, 'headed.csv'), join(dir, 'short.csv')];
    await saveWithUnknownDims(textModel(), text, { tokens: [0] });
    await saveWithUnknownDims(twoInputModel(), twoInputs, { tokens: [0] });
    await writeFile(csv, rows.map((r) => r.join(',')).join('\n'));
    await writeFile(headed, withHeader(LENGTH));
    await writeFile(short, withHeader(LENGTH - 2));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('predict and evaluate with the flag give what the SDK gives loading with the same inputShapes', async () => {
    const reference = await km.loadLayersModel(text, { inputShapes: { tokens: [LENGTH] } });
    const x = km.tensor(rows.flatMap((r) => r.slice(0, LENGTH)), [rows.length, LENGTH]);
    const expected = reference.predict(x).dataSync();
    const [loss, accuracy] = await reference.evaluate(x, km.tensor(rows.map((r) => r[LENGTH]), [rows.length]), { verbose: 0 }) as number[];

    const named = (await json('predict', text, '--input', csv, '--input-shape', `tokens=${LENGTH}`)).predictions as { probabilities: number[]; actual: number }[];
    expect(named.map((p) => p.actual)).toEqual(rows.map((r) => r[LENGTH]));
    const probabilities = named.flatMap((p) => p.probabilities);
    expect(probabilities).toHaveLength(expected.length);
    probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    // The tokens make a difference: the rows are not all predicted alike.
    expect(Math.abs(probabilities[0] - probabilities[3])).toBeGreaterThan(0.01);
    // Without a name, the shape is the only input's.
    expect((await json('predict', text, '--input', csv, `--input-shape=${LENGTH}`)).predictions).toEqual(named);

    const evaluated = await json('evaluate', text, '--data', csv, '--input-shape', `tokens=${LENGTH}`);
    expect(evaluated.samples).toBe(rows.length);
    expect(evaluated.test.loss).toBeCloseTo(loss, 5);
    expect(evaluated.test.accuracy).toBeCloseTo(accuracy, 6);
    expect((await json('summary', text, '--input-shape', `tokens=${LENGTH}`)).inputShape).toEqual([null, LENGTH]);
  });

  it('without the flag, predict, evaluate and summary run at the length of the data, as with the flag fixing it', async () => {
    const x = (tokens: number) => km.tensor(rows.flatMap((r) => r.slice(0, tokens)), [rows.length, tokens]);
    const y = km.tensor(rows.map((r) => r[LENGTH]), [rows.length]);
    const fixed = await km.loadLayersModel(text, { inputShapes: { tokens: [LENGTH] } });
    const probabilities = (result: any) => (result.predictions as { probabilities: number[] }[]).flatMap((p) => p.probabilities);

    const flagged = await json('predict', text, '--input', headed, '--input-shape', `tokens=${LENGTH}`);
    const open = await json('predict', text, '--input', headed);
    expect(open.predictions.map((p: { actual: number }) => p.actual)).toEqual(rows.map((r) => r[LENGTH]));
    const expected = fixed.predict(x(LENGTH)).dataSync();
    expect(probabilities(open)).toHaveLength(expected.length);
    probabilities(open).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    probabilities(flagged).forEach((p, i) => expect(p).toBeCloseTo(probabilities(open)[i], 6));
    // A headerless file of tokens only, read by position, predicts alike.
    const bare = join(dir, 'bare.csv');
    await writeFile(bare, rows.map((r) => r.slice(0, LENGTH).join(',')).join('\n'));
    probabilities(await json('predict', text, '--input', bare)).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));

    // Shorter sequences run at their own length: as the SDK runs the model fixed to it.
    const shortExpected = (await km.loadLayersModel(text, { inputShapes: { tokens: [LENGTH - 2] } })).predict(x(LENGTH - 2)).dataSync();
    const shortOpen = probabilities(await json('predict', text, '--input', short));
    expect(shortOpen).toHaveLength(shortExpected.length);
    shortOpen.forEach((p, i) => expect(p).toBeCloseTo(shortExpected[i], 6));
    expect(Math.abs(shortOpen[0] - probabilities(open)[0])).toBeGreaterThan(1e-4);

    const [loss, accuracy] = (await fixed.evaluate(x(LENGTH), y, { verbose: 0 })) as number[];
    for (const data of [headed, csv]) {
      const evaluated = await json('evaluate', text, '--data', data);
      expect(evaluated.samples).toBe(rows.length);
      expect(evaluated.test.loss).toBeCloseTo(loss, 5);
      expect(evaluated.test.accuracy).toBeCloseTo(accuracy, 6);
      expect(await json('evaluate', text, '--data', data, '--input-shape', `tokens=${LENGTH}`)).toEqual(evaluated);
    }

    expect((await json('summary', text)).inputShape).toEqual([null, null]);
    expect((await json('summary', text)).layers.map((l: { outputShape: unknown }) => l.outputShape)).toEqual([[null, null], [null, null, 4], [null, 4], [null, 3]]);
    expect((await json('summary', text, '--input-shape', `tokens=${LENGTH}`)).inputShape).toEqual([null, LENGTH]);
  });

  it('with the flag fixing the length, data of another length is refused', async () => {
    const err = await json('predict', text, '--input', short, '--input-shape', `tokens=${LENGTH}`).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).toContain(`takes samples of shape [${LENGTH}] (${LENGTH} values), but --input ${short} has ${LENGTH - 2} feature columns`);
  });

  it("fixes the input of a Sequential model saved without an InputLayer, keyed in the file by its first layer", async () => {
    const sequential = join(dir, 'sequential');
    const model = km.sequential({ layers: [km.layers.embedding({ inputDim: 10, outputDim: 2, inputShape: [LENGTH], name: 'embed' }), km.layers.globalAveragePooling1d(), km.layers.dense({ units: 2 })] });
    await model.save(`file://${sequential}`);
    const path = join(sequential, 'model.json');
    const saved = JSON.parse(await readFile(path, 'utf8'));
    saved.modelTopology.config.layers[0].config.batch_input_shape = [null, null];
    await writeFile(path, JSON.stringify(saved));
    expect((await loadWithInputShapes(sequential, [], 'h')).inputShape).toEqual([null]);
    expect((await loadWithInputShapes(sequential, parseInputShapes(['3'], 'h'), 'h')).inputShape).toEqual([3]);
    expect((await loadError(sequential, '3,4')).message).toContain("received '3,4', but input 'embed_input' was saved with the shape (None, None): give 1 size");
    expect((await json('summary', sequential)).layers.map((l: { outputShape: unknown }) => l.outputShape)).toEqual([[null, null, 2], [null, 2], [null, 2]]);
  });

  it('refuses an input name the model does not have, a shape that does not fit, and a shape without a name for several inputs', async () => {
    const stray = await loadError(text, 'token=5');
    expect(stray.message).toBe(`Invalid value for --input-shape: received 'token=5', but the model in ${text} has no input 'token'; did you mean 'tokens'? Its inputs: 'tokens'.`);
    expect(stray.helpCommand).toBe('kerasm predict --help');
    expect((await loadError(text, 'tokens=5,4')).message).toBe(
      "Invalid value for --input-shape: received 'tokens=5,4', but input 'tokens' was saved with the shape (None, None): give 1 size, the one your data has for each unknown dimension (None) and the saved size for the others, e.g. '--input-shape tokens=100'.",
    );
    expect((await loadError(twoInputs, 'tokens=5', 'features=4')).message).toBe(
      "Invalid value for --input-shape: received 'features=4', but input 'features' was saved with the shape (None, 3): give 1 size, the one your data has for each unknown dimension (None) and the saved size for the others, e.g. '--input-shape features=3'.",
    );
    expect((await loadError(text, '5,4')).message).toContain("received '5,4', but input 'tokens' was saved with the shape (None, None): give 1 size");
    expect((await loadError(twoInputs, '5')).message).toBe(
      `--input-shape 5 has no input name, but the model in ${twoInputs} has 2 inputs ('tokens', 'features'). Name the input each shape is for: --input-shape tokens=5.`,
    );
    // A model saved with every size known takes the flag only with those sizes.
    const known = join(dir, 'known');
    await textModel().save(`file://${known}`);
    expect((await loadWithInputShapes(known, parseInputShapes([String(LENGTH)], 'h'), 'h')).inputShape).toEqual([LENGTH]);
    expect((await loadError(known, '6')).message).toContain("received '6', but input 'tokens' was saved with the shape (None, 5): give 1 size");
  });
});
