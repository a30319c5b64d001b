import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '@kerasm/sdk';
import { checkClassLabel, delimiterFlag, likelyDelimiter, lineOfRow, withCliCellAdvice } from './csv_checks.js';

describe('CSV checks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kerasm-csv-checks-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('suggests the delimiter of a header that read as one column', () => {
    expect(likelyDelimiter(['a;b;label'], ',')).toBe(';');
    expect(likelyDelimiter(['a\tb\tlabel'], ',')).toBe('\t');
    expect(likelyDelimiter(['a', 'b'], ',')).toBeUndefined();
    expect(likelyDelimiter(['abc'], ',')).toBeUndefined();
    expect(delimiterFlag('\t')).toBe("--delimiter $'\\t'");
  });

  it('finds the file line of a data row past blank lines and quoted line breaks', async () => {
    const path = join(dir, 'rows.csv');
    await writeFile(path, 'a,label\n1,0\n\n"2\nstill 2",1\n3,7\n');
    expect(await lineOfRow(path, 0)).toBe(2);
    expect(await lineOfRow(path, 1)).toBe(4);
    expect(await lineOfRow(path, 2)).toBe(6);
    // In a file without a header the first line is data row 0.
    expect(await lineOfRow(path, 0, false)).toBe(1);
    expect(await lineOfRow(path, 1, false)).toBe(2);
    await expect(checkClassLabel(7, 2, 3, '--data', path)).rejects.toThrow(`--data ${path}, line 6: label 7 is out of range for the model's 3-class output (valid labels: 0 to 2).`);
    await expect(checkClassLabel(0.5, 0, 3, '--data', path)).rejects.toThrow('line 2: label 0.5 is not a whole-number class index');
    await expect(checkClassLabel(2, 0, 3, '--data', path)).resolves.toBeUndefined();
  });

  it("gives its own advice for the SDK's text and empty cell errors, naming the config file when there is one", async () => {
    const cellError = async (name: string, text: string) => {
      const path = join(dir, name);
      await writeFile(path, text);
      const error = await km.data.csv(path, { labelColumn: 'label' }).toArray().then(() => undefined, (err: unknown) => err);
      expect(error).toBeInstanceOf(km.data.CsvCellError);
      return [error, path] as const;
    };
    const [text, textPath] = await cellError('text.csv', 'a,label\n1,0\n"red\nwine",1\n');
    const textProblem = `csv ${textPath}: line 3, column 'a' (column 1) holds 'red\nwine', which is not a number.`;
    for (const config of [undefined, 'run.json']) {
      expect((withCliCellAdvice(text, 'predicting', config) as Error).message).toBe(`${textProblem} Encode categories as numbers (0, 1, 2, ...) before predicting.`);
    }
    const [empty, emptyPath] = await cellError('empty.csv', 'a,label\n1,0\n\n,1\n');
    const emptyProblem = `csv ${emptyPath}: line 4, column 'a' (column 1) is empty.`;
    expect((withCliCellAdvice(empty, 'evaluating') as Error).message).toBe(`${emptyProblem} Fill in the value or drop the row.`);
    expect((withCliCellAdvice(empty, 'training', 'run.json') as Error).message).toBe(`${emptyProblem} Fill in the value, drop the row, or give the column a default in run.json: "data": { "columnConfigs": { "a": { "default": 0 } } }.`);
    const other = new Error('line 2 has 3 fields');
    expect(withCliCellAdvice(other, 'training', 'run.json')).toBe(other);
  });
});
