// km.data.csv's errors for a cell it cannot read carry the cell's place and text as fields, with the
// message as km.data.csv's users read it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'kerasm-csv-cell-'));

/** The error reading `text` as a CSV file throws, through a batched pipeline as fit reads it. */
async function cellError(name: string, text: string, options: km.data.CsvOptions): Promise<km.data.CsvCellError> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const error = await km.data.csv(path, options).batch(2).toArray().then(() => undefined, (err: unknown) => err);
  expect(error).toBeInstanceOf(km.data.CsvCellError);
  return error as km.data.CsvCellError;
}

describe('km.data.CsvCellError', () => {
  it('a text cell: its line (past a blank line), column, text and the problem apart from the advice', async () => {
    const error = await cellError('text.csv', 'x,a,label\n\n1,1,0\n3,"red\nwine",1\n', { labelColumn: 'label' });
    const problem = `csv ${join(dir, 'text.csv')}: line 4, column 'a' (column 2) holds 'red\nwine', which is not a number.`;
    expect({ ...error }).toEqual({ kind: 'text', problem, line: 4, column: 'a', columnIndex: 1, value: 'red\nwine', name: 'CsvCellError' });
    expect(error.message).toBe(
      `${problem} To use the column, read it as text, columnConfigs: { "a": { dtype: 'string' } }, and encode it with a km.layers.stringLookup in a map; ` +
        'to leave it out, pass configuredColumnsOnly: true with columnConfigs naming the columns to read; or encode categories as numbers (0, 1, 2, ...) before training.',
    );
  });

  it('an empty cell, and a bool column holding other text', async () => {
    const empty = await cellError('empty.csv', 'a,b\n1,2\n3,\n', {});
    expect([empty.kind, empty.line, empty.column, empty.columnIndex, empty.value]).toEqual(['empty', 3, 'b', 1, '']);
    expect(empty.message).toBe(`csv ${join(dir, 'empty.csv')}: line 3, column 'b' (column 2) is empty. Fill in the value, drop the row, or give a default: columnConfigs: { "b": { default: 0 } }.`);
    expect(empty.problem).toBe(`csv ${join(dir, 'empty.csv')}: line 3, column 'b' (column 2) is empty.`);
    const bool = await cellError('bool.csv', 'a,b\nyes,1\n', { columnConfigs: { a: { dtype: 'bool' } } });
    expect([bool.kind, bool.line, bool.column, bool.columnIndex, bool.value]).toEqual(['bool', 2, 'a', 0, 'yes']);
    expect(bool.message).toMatch(/^csv .*: line 2, column 'a' \(column 1\) holds 'yes', which a 'bool' column does not read \(tfjs reads it as 0\)\. Write true, false, 1 or 0 there/);
  });
});
