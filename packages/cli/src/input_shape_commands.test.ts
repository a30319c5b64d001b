import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
// of any length: kerasm loads it only with the sequence length given, here by --input-shape.

// Four sequences of 5 token ids, then each one's class.
const rows = [
  [3, 1, 4, 1, 5, 0],
  [9, 2, 6, 5, 3, 2],
  [5, 8, 9, 7, 9, 1],
  [0, 0, 2, 8, 4, 2],
];

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
  beforeAll(async () => {
    await km.ready();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-input-shape-'));
    [text, twoInputs, csv] = [join(dir, 'text'), join(dir, 'two'), join(dir, 'tokens.csv')];
    await saveWithUnknownDims(textModel(), text, { tokens: [0] });
    await saveWithUnknownDims(twoInputModel(), twoInputs, { tokens: [0] });
    await writeFile(csv, rows.map((r) => r.join(',')).join('\n'));
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

  it('without the flag, the usage error names it with the input and its saved shape, not the SDK option', async () => {
    const missing = await json('predict', text, '--input', csv).then(() => undefined, (e: unknown) => e);
    // A UsageError: main prints it with "Run 'kerasm predict --help' for usage." and exits with 2.
    expect(missing).toBeInstanceOf(UsageError);
    expect((missing as UsageError).helpCommand).toBe('kerasm predict --help');
    expect((missing as UsageError).message).toBe(
      `The model in ${text} has the input 'tokens' saved with the shape (None, None), whose unknown dimensions (None) take any size in Keras and tfjs, but kerasm builds a model for one sample shape. ` +
        'Pass the size your data has: --input-shape tokens=100 (for text, the length the sequences are padded to).',
    );
    // Every input still to size is named, with the sizes saved kept.
    await saveWithUnknownDims(twoInputModel(), `${twoInputs}-both`, { tokens: [0], features: [0] });
    expect((await loadError(`${twoInputs}-both`)).message).toContain(
      "has inputs 'tokens' saved with the shape (None, None) and 'features' saved with the shape (None, None), whose unknown dimensions (None) take any size in Keras and tfjs, but kerasm builds a model for one sample shape. Pass the sizes your data has: --input-shape tokens=100 --input-shape features=100 (",
    );
    expect((await loadError(`${twoInputs}-both`, 'tokens=5')).message).toContain("has the input 'features' saved with the shape (None, None), whose unknown dimensions (None) take any size in Keras and tfjs, but kerasm builds a model for one sample shape. Pass the size your data has: --input-shape features=100 (");
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
