import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.js';
import { UsageError } from './errors.js';
import { predictHelp } from './help.js';

describe('evaluate / predict / summary flags', () => {
  it('parses a folder and the defaults', () => {
    expect(parseCommandLine(['evaluate', 'm'])).toEqual({ kind: 'evaluate', options: { dir: 'm', batchSize: 64, json: false, relaxedSimd: true, backend: 'wasm' }, warnings: [] });
    expect(parseCommandLine(['predict', 'm', '--count', '3', '--json'])).toEqual({ kind: 'predict', options: { dir: 'm', count: 3, json: true, relaxedSimd: true, backend: 'wasm' }, warnings: [] });
    expect(parseCommandLine(['predict', '--input', 'a.PNG', 'm'])).toMatchObject({ options: { input: 'a.PNG', count: 10 } });
    expect(parseCommandLine(['predict', 'm', '--input', 'a.png', '--invert'])).toMatchObject({ options: { input: 'a.png', invert: true } });
    expect(predictHelp()).toMatch(/\n  --invert {16}Flip the colors of the --input image/);
    expect(parseCommandLine(['summary', 'm', '--no-relaxed-simd'])).toEqual({ kind: 'summary', options: { dir: 'm', json: false, relaxedSimd: false, expandNested: false, showTrainable: false } });
    expect(parseCommandLine(['summary', '--show-trainable', 'm', '--expand-nested'])).toMatchObject({ options: { expandNested: true, showTrainable: true } });
    expect(parseCommandLine(['help', 'predict'])).toEqual({ kind: 'help', topic: 'predict' });
    expect(parseCommandLine(['summary', '-h'])).toEqual({ kind: 'help', topic: 'summary' });
  });

  it('refuses a flag given twice with different values, for each command', () => {
    expect(() => parseCommandLine(['predict', 'm', '--count', '3', '--count', '5'])).toThrow(
      "Option '--count' was given twice, as '3' and then '5'; 'kerasm predict' takes each option once. Keep the one you mean, e.g. '--count 5'.",
    );
    expect(() => parseCommandLine(['evaluate', 'm', '--data', 'a.csv', '--data', 'b.csv'])).toThrow("Option '--data' was given twice, as 'a.csv' and then 'b.csv'; 'kerasm evaluate' takes each option once.");
    expect(parseCommandLine(['summary', 'm', '--json', '--json'])).toMatchObject({ options: { json: true } });
  });

  it('reads CSV samples from evaluate --data and predict --input, with the label column and delimiter', () => {
    const csv = (path: string, labelColumn = 'label', labelColumnGiven = false, delimiter = ',') => ({ path, labelColumn, labelColumnGiven, delimiter });
    expect(parseCommandLine(['evaluate', 'm', '--data', 'd.csv'])).toMatchObject({ options: { data: csv('d.csv') } });
    expect(parseCommandLine(['evaluate', 'm', '--data', 'd.CSV', '--label-column', 'y', '--delimiter', ';'])).toMatchObject({ options: { data: csv('d.CSV', 'y', true, ';') } });
    const predict = parseCommandLine(['predict', 'm', '--input', 'rows.csv', '--delimiter', '\t']);
    expect(predict).toMatchObject({ options: { csv: csv('rows.csv', 'label', false, '\t') } });
    expect(predict.kind === 'predict' && predict.options.input).toBeUndefined();
  });

  it('evaluate and predict take --backend and --threads as train does, warning when --threads does not apply', () => {
    expect(parseCommandLine(['evaluate', 'm', '--backend', 'tfjs-cpu'])).toMatchObject({ options: { backend: 'tfjs-cpu' }, warnings: [] });
    expect(parseCommandLine(['predict', 'm', '--threads', '1'])).toMatchObject({ options: { backend: 'wasm', threads: 1 }, warnings: [] });
    expect(parseCommandLine(['predict', 'm', '--backend', 'tfjs-wasm', '--threads', '2'])).toMatchObject({
      options: { backend: 'tfjs-wasm', threads: 2 },
      warnings: ["--threads is ignored with --backend tfjs-wasm: it sets the threads of kerasm's wasm backend only."],
    });
  });

  it('train --save takes a folder', () => {
    expect(parseCommandLine(['train', '--save', 'out/m'])).toMatchObject({ kind: 'train', options: { save: 'out/m' } });
    expect(() => parseCommandLine(['train', '--save', ' '])).toThrow(/Invalid value for --save: received ' ', expected a folder/);
    expect(() => parseCommandLine(['train', '--save', 'out/m/model.json'])).toThrow(/Invalid value for --save: received 'out\/m\/model.json', expected a folder to save the model to \(it then holds model.json/);
  });

  it.each([
    [['evaluate'], /needs exactly one model folder.*Received: none/],
    [['evaluate', 'm', '--batch-size', 'x'], /Invalid value for --batch-size: received 'x'/],
    [['predict', 'm', '--count', '-1'], /Invalid value for --count: received '-1', expected an integer from 1 to 10000/],
    [['summary', 'm', '--count', '2'], /Unknown option '--count' for 'kerasm summary'/],
    [['summary', 'm', '--expand'], /Unknown option '--expand' for 'kerasm summary'; did you mean '--expand-nested'\? Valid options:/],
    [['predict', 'm', '--labelcolumn', 'y'], /did you mean '--label-column'\?/],
    [['evaluate', 'm', '--data', 'd.json'], /Invalid value for --data: received 'd.json', expected a .csv file/],
    [['evaluate', 'm', '--label-column', 'y'], /--label-column describes a CSV file, but no CSV file was given. Pass --data FILE.csv too./],
    [['predict', 'm', '--input', 'a.png', '--delimiter', ';'], '--delimiter describes a CSV file, but --input a.png is not one. Drop --delimiter, or pass a .csv file to --input.'],
    [['predict', 'm', '--delimiter', ';'], '--delimiter describes a CSV file, but no CSV file was given. Pass --input FILE.csv too.'],
    [['evaluate', 'm', '--data', 'd.csv', '--delimiter', '"'], `Invalid value for --delimiter: received '"', expected one character other than a quote or a line break`],
    [['evaluate', 'm', '--data', 'd.csv', '--delimiter', ';;'], /Invalid value for --delimiter: received ';;', expected one character/],
    [['predict', 'm', '--input', 'r.csv', '--label-column', ' '], /Invalid value for --label-column: received ' ', expected the name of the column/],
    [['predict', 'm', '--invert'], '--invert flips the colors of an --input image (.png or .json), but no --input was given (the MNIST test images are white on black already). Drop --invert, or pass --input FILE.png.'],
    [['predict', 'm', '--input', 'r.csv', '--invert'], '--invert flips the colors of an --input image (.png or .json), but --input r.csv is a CSV file of samples. Drop --invert.'],
    [['predict', 'm', '--input', 'r.txt'], /expected a .png image, a .json array of pixel values or a .csv file of samples/],
    [['evaluate', 'm', '--backend', 'gpu'], /Invalid value for --backend: received 'gpu', expected one of wasm, tfjs-wasm, tfjs-cpu, tfjs-node, tfjs-node-gpu/],
    [['predict', 'm', '--backend', 'tfjs-webgl'], /tfjs-webgl runs only in browsers/],
    [['evaluate', 'm', '--threads', '0'], /Invalid value for --threads: received '0', expected an integer from 1 to 256/],
    [['summary', 'm', '--backend', 'wasm'], /Unknown option '--backend' for 'kerasm summary'/],
    [['evaluate', 'm', '--expand-nested'], /Unknown option '--expand-nested' for 'kerasm evaluate'/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
