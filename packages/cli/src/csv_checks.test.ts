import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '@kerasm/sdk';
import { checkClassLabel, delimiterFlag, likelyDelimiter, lineOfRow, rewordTextCellAdvice } from './csv_checks.js';

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

  it("words the SDK's advice for a text cell, which names km.data.csv options the CLI lacks, as encoding it before the command", async () => {
    const path = join(dir, 'text.csv');
    await writeFile(path, 'a,label\n1,0\n"red\nwine",1\n');
    const message = await km.data.csv(path, { labelColumn: 'label' }).toArray().then(() => '', (err: Error) => err.message);
    expect(message).toContain("dtype: 'string'");
    expect(rewordTextCellAdvice(message, 'predicting')).toBe(`csv ${path}: line 3, column 'a' (column 1) holds 'red\nwine', which is not a number. Encode categories as numbers (0, 1, 2, ...) before predicting.`);
    expect(rewordTextCellAdvice('line 2 has 3 fields', 'training')).toBe('line 2 has 3 fields');
  });
});
