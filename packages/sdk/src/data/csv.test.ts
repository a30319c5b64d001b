import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { CsvParser } from './csv_parser.js';

const dir = mkdtempSync(join(tmpdir(), 'kerasm-csv-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('CsvParser', () => {
  it('splits quoted fields with delimiters, doubled quotes, newlines and CRLF, across any chunking', () => {
    const text = 'a,b,c\r\n"1,5","say ""hi""",x\r\n"two\nlines",,"last"\n\n7,8,9';
    const expected = [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1,5', 'say "hi"', 'x'] },
      { line: 3, fields: ['two\nlines', '', 'last'] },
      { line: 6, fields: ['7', '8', '9'] },
    ];
    for (const size of [1, 2, 3, 7, text.length]) {
      const parser = new CsvParser(',', 't.csv');
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      out.push(...parser.end());
      expect(out, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('names the line of an unclosed quote and of a quote inside a bare field', () => {
    const open = new CsvParser(',', 't.csv');
    open.push('a,b\n1,"oops\n2,3\n');
    expect(() => open.end()).toThrow(/quoted field that starts on line 2 never closes/);
    expect(() => new CsvParser(',', 't.csv').push('a,b\n1,x"y\n')).toThrow(/line 2 has a quote in the middle of a field/);
    expect(() => new CsvParser('ab', 't.csv')).toThrow(/delimiter must be one character.*Received: delimiter="ab"/);
  });
});

describe('km.data.csv', () => {
  it('reads features in column order and the label column, from a path or a file:// URL', async () => {
    const path = file('good.csv', 'x1,label,x2\n1.5,0,2\n"3",1,-4e-1\n5,2,6\n');
    const rows = await km.data.csv(path, { labelColumn: 'label' }).toArray();
    expect(rows.map((r) => Array.from(r.xs))).toEqual([[1.5, 2], [3, Math.fround(-0.4)], [5, 6]]);
    expect(rows.map((r) => r.ys)).toEqual([0, 1, 2]);
    const viaUrl = await km.data.csv(pathToFileURL(path).href, { labelColumn: 'label' }).toArray();
    expect(viaUrl).toEqual(rows);
  });

  it('takes a delimiter, headerless files with columnNames, and defaults for empty fields', async () => {
    const path = file('semi.csv', '1;;0\n2;3;1\n');
    const rows = await km.data.csv(path, { delimiter: ';', hasHeader: false, columnNames: ['a', 'b', 'y'], labelColumn: 'y', columnConfigs: { b: { default: -1 } } }).toArray();
    expect(rows.map((r) => [...r.xs, r.ys])).toEqual([[1, -1, 0], [2, 3, 1]]);
    const unlabeled = await km.data.csv(path, { delimiter: ';', hasHeader: false, columnNames: ['a', 'b', 'y'], columnConfigs: { b: { default: 0 } } }).toArray();
    expect(unlabeled[1]).toEqual({ xs: Float32Array.of(2, 3, 1) });
  });

  it('reports its column names from the header (quoted, trimmed) or from columnNames, and names an empty file', async () => {
    const path = file('named.csv', ' x1 ,"y,2",label\n1,2,0\n');
    expect(await km.data.csv(path, { labelColumn: 'label' }).columnNames()).toEqual(['x1', 'y,2', 'label']);
    expect(await km.data.csv(path, { columnNames: ['p', 'q', 'r'] }).columnNames()).toEqual(['p', 'q', 'r']);
    await expect(km.data.csv(file('empty.csv', '')).columnNames()).rejects.toThrow(/empty\.csv: the file is empty, so it has no header line/);
  });

  it('names the line and column of a missing value and how to fix it', async () => {
    const path = file('missing.csv', 'a,b,label\n1,2,0\n3,,1\n');
    await expect(km.data.csv(path, { labelColumn: 'label' }).toArray()).rejects.toThrow(
      /line 3, column 'b' \(column 2\) is empty\. Fill in the value, drop the row, or give a default: columnConfigs: \{ "b": \{ default: 0 \} \}/,
    );
  });

  it("columnConfigs: isLabel picks the label column, int32 floors, required and float32 are accepted, as tfjs' keys", async () => {
    const path = file('configs.csv', 'x,n,y\n1.7,-2.5,0\n2.2,,1\n');
    const rows = await km.data.csv(path, { columnConfigs: { y: { isLabel: true }, x: { dtype: 'int32' }, n: { dtype: 'float32', default: 0.5 } } }).toArray();
    expect(rows).toEqual([{ xs: Float32Array.of(1, -2.5), ys: 0 }, { xs: Float32Array.of(2, 0.5), ys: 1 }]);
    const floored = await km.data.csv(path, { labelColumn: 'y', columnConfigs: { n: { dtype: 'int32', default: 0.5 } } }).toArray();
    expect(floored.map((r) => Array.from(r.xs))).toEqual([[1.7, -3].map(Math.fround), [2.2, 0.5].map(Math.fround)]);
    await expect(km.data.csv(path, { columnConfigs: { y: { isLabel: true }, n: { required: true } } }).toArray()).rejects.toThrow(/line 3, column 'n' \(column 2\) is empty/);
  });

  it('columnConfigs: refuses unknown keys, unsupported dtypes, several label columns and a label given twice', () => {
    const path = file('refused.csv', 'a,b\n1,2\n');
    expect(() => km.data.csv(path, { columnConfigs: { a: { dtpye: 'int32' } as never } })).toThrow(/columnConfigs\.a has no option 'dtpye'; did you mean 'dtype'\? Its options are: default, isLabel, required, dtype/);
    expect(() => km.data.csv(path, { columnConfigs: { a: { dtype: 'complex64' as never } } })).toThrow(/columnConfigs\.a: dtype must be 'float32', 'int32', 'bool' \(true\/false read as 1\/0\) or 'string'\. Received: dtype="complex64"\./);
    expect(() => km.data.csv(path, { columnConfigs: { a: { isLabel: 'yes' as never } } })).toThrow(/isLabel must be true or false/);
    expect(() => km.data.csv(path, { columnConfigs: { a: { isLabel: true }, b: { isLabel: true } } })).toThrow(/marks 'a', 'b' as isLabel, but kerasm takes one label column.*Keep isLabel on one column/);
    expect(() => km.data.csv(path, { labelColumn: 'b', columnConfigs: { a: { isLabel: true } } })).toThrow(/both labelColumn \('b'\) and columnConfigs\.a\.isLabel name the label/);
  });

  it('names the line and column of a value that is not a number', async () => {
    const path = file('text.csv', 'a,label\n1,0\nred,1\n');
    await expect(km.data.csv(path, { labelColumn: 'label' }).toArray()).rejects.toThrow(/line 3, column 'a' \(column 1\) holds 'red', which is not a number\. To use the column, read it as text/);
  });

  it('names a line with the wrong number of fields', async () => {
    const path = file('ragged.csv', 'a,b,label\n1,2,0\n1,2,3,4\n');
    await expect(km.data.csv(path, { labelColumn: 'label' }).toArray()).rejects.toThrow(/line 3 has 4 fields, but there are 3 columns \(a, b, label\)\. Check for a missing field or an unquoted delimiter inside a value \(quote such values: "a,b"\)\./);
    const semicolons = file('ragged_semicolons.csv', 'a;label\n1;2;0\n');
    await expect(km.data.csv(semicolons, { delimiter: ';' }).toArray()).rejects.toThrow('(quote such values: "a;b").');
  });

  it('names an unknown label column, unknown configured column, missing file and missing column names', async () => {
    const path = file('cols.csv', 'a,b\n1,2\n');
    await expect(km.data.csv(path, { labelColumn: 'y' }).toArray()).rejects.toThrow(/labelColumn 'y' is not a column\. The columns are: a, b/);
    await expect(km.data.csv(path, { columnConfigs: { c: { default: 0 } } }).toArray()).rejects.toThrow(/columnConfigs names 'c', which is not a column/);
    expect(() => km.data.csv(path, { columnConfigs: { a: { default: NaN } } })).toThrow(/columnConfigs\.a\.default must be a finite number\. Received: default=NaN/);
    await expect(km.data.csv(join(dir, 'nope.csv')).toArray()).rejects.toThrow(/No file at .*nope\.csv/);
    expect(() => km.data.csv(path, { hasHeader: false })).toThrow(/hasHeader is false, so the columns need names/);
    expect(() => km.data.csv('')).toThrow(/needs a file path or URL/);
  });
});
