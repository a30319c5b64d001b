import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { CsvParser, WHITESPACE } from './csv_parser.js';
import { tfd, tfjsReady, thrown } from './testing/tfjs_data.js';

beforeAll(tfjsReady);

const dir = mkdtempSync(join(tmpdir(), 'kerasm-csv-whitespace-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

type TfjsRow = Record<string, number | string | undefined> | { xs: Record<string, number | string | undefined>; ys: Record<string, number | string | undefined> };

async function tfjsRows(path: string, config: Record<string, unknown>): Promise<TfjsRow[]> {
  return (await tfd.csv(pathToFileURL(path).href, config).toArray()) as never;
}

async function tfjsColumnNames(path: string, config: Record<string, unknown>): Promise<string[]> {
  return tfd.csv(pathToFileURL(path).href, config).columnNames();
}

/** tfjs' labeled rows as kerasm's: the features as float32 values in column order, and the label's value. */
function asElements(rows: TfjsRow[], label: string): { xs: number[]; ys: unknown }[] {
  return rows.map((r) => {
    const { xs, ys } = r as { xs: Record<string, number>; ys: Record<string, number> };
    return { xs: Object.values(xs).map(Math.fround), ys: ys[label] };
  });
}

function ours(rows: { xs: Float32Array; ys?: number }[]): { xs: number[]; ys: unknown }[] {
  return rows.map((r) => ({ xs: Array.from(r.xs), ys: r.ys }));
}

/** The file split by hand: lines without blank ones, each split on runs of spaces and tabs. */
function naiveSplit(text: string): string[][] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').map((line) => line.split(/[ \t]+/));
}

// Space-aligned columns with leading spaces and runs of several spaces, as UCI's housing.data.
const ALIGNED = 'crim   zn  rm     medv\n 0.00632  18.0  6.575  24.0\n  0.02731   0.0  6.421  21.6\n0.5   12.5    7.25    34.5\n';

describe('CsvParser with WHITESPACE', () => {
  it('splits on runs of spaces and tabs, ignores them at either end of a line, and keeps quoted spaces, across any chunking', () => {
    const text = '  a \t b\tc  \r\n1    2\t\t3\n\n  \t \n"New York"  ""   "say ""hi"" there"\n 4 5 6';
    const expected = [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 5, fields: ['New York', '', 'say "hi" there'] },
      { line: 6, fields: ['4', '5', '6'] },
    ];
    for (const size of [1, 2, 3, 5, text.length]) {
      const parser = new CsvParser(WHITESPACE, 't.txt');
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      out.push(...parser.end());
      expect(out, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('reads unquoted lines as a split on /[ \\t]+/ of the trimmed line', () => {
    const text = ' x  y\tz \n1 2 3\n\t4\t 5  6\t\n';
    const parser = new CsvParser(WHITESPACE, 't.txt');
    const fields = [...parser.push(text), ...parser.end()].map((r) => r.fields);
    expect(fields).toEqual(naiveSplit(text));
  });
});

describe('km.data.csv delimWhitespace', () => {
  it('reads space-aligned columns, header included, as tfjs-data does', async () => {
    const path = file('aligned.txt', ALIGNED);
    const dataset = km.data.csv(path, { delimWhitespace: true, labelColumn: 'medv' });
    expect(await dataset.columnNames()).toEqual(['crim', 'zn', 'rm', 'medv']);
    expect(await dataset.columnNames()).toEqual(await tfjsColumnNames(path, { delimWhitespace: true }));
    const rows = ours(await dataset.toArray());
    expect(rows).toEqual(asElements(await tfjsRows(path, { delimWhitespace: true, columnConfigs: { medv: { isLabel: true } } }), 'medv'));
    expect(rows).toEqual(naiveSplit(ALIGNED).slice(1).map((line) => ({ xs: line.slice(0, -1).map(Number).map(Math.fround), ys: Number(line.at(-1)) })));
  });

  it('works with hasHeader: false and columnNames, columnConfigs defaults and configuredColumnsOnly, as tfjs-data does', async () => {
    const path = file('headerless.txt', '  1   ""    3   0\n4  5  ""  1\n   7 8   9    0\n');
    const names = ['a', 'b', 'c', 'y'];
    const configs = { b: { default: -1 }, c: { default: -2 } };
    const rows = await km.data.csv(path, { delimWhitespace: true, hasHeader: false, columnNames: names, labelColumn: 'y', columnConfigs: configs }).toArray();
    const theirs = await tfjsRows(path, { delimWhitespace: true, hasHeader: false, columnNames: names, columnConfigs: { ...configs, y: { isLabel: true } } });
    expect(ours(rows)).toEqual(asElements(theirs, 'y'));
    expect(ours(rows)).toEqual([{ xs: [1, -1, 3], ys: 0 }, { xs: [4, 5, -2], ys: 1 }, { xs: [7, 8, 9], ys: 0 }]);
    const only = await km.data.csv(path, { delimWhitespace: true, hasHeader: false, columnNames: names, labelColumn: 'y', configuredColumnsOnly: true, columnConfigs: { c: { default: -2 } } }).toArray();
    const theirsOnly = await tfjsRows(path, { delimWhitespace: true, hasHeader: false, columnNames: names, configuredColumnsOnly: true, columnConfigs: { c: { default: -2 }, y: { isLabel: true } } });
    expect(ours(only)).toEqual(asElements(theirsOnly, 'y'));
  });

  it('keeps a quoted field holding spaces whole, in a text column, as tfjs-data does', async () => {
    const path = file('cities.txt', 'city   population  label\n"New York"   8.3   1\nParis  2.1    0\n');
    const rows = await km.data.csv(path, { delimWhitespace: true, labelColumn: 'label', columnConfigs: { city: { dtype: 'string' } } }).toArray();
    expect(rows).toEqual([{ xs: { city: 'New York', population: 8.3 }, ys: 1 }, { xs: { city: 'Paris', population: 2.1 }, ys: 0 }]);
    const theirs = await tfjsRows(path, { delimWhitespace: true, columnConfigs: { city: { dtype: 'string' }, label: { isLabel: true } } });
    expect(rows.map((r) => r.xs)).toEqual(theirs.map((r) => (r as { xs: unknown }).xs));
  });

  it('splits on tabs too, where tfjs-data splits on spaces only (a difference kerasm documents)', async () => {
    const text = 'a\t\tb  \tlabel\n\t1\t 2\t0\n3 \t\t4  1\n';
    const path = file('tabs.txt', text);
    const rows = ours(await km.data.csv(path, { delimWhitespace: true, labelColumn: 'label' }).toArray());
    // tfjs-data reads the same file with its tabs made spaces as kerasm reads it with tabs.
    const spaced = file('tabs-as-spaces.txt', text.replaceAll('\t', ' '));
    expect(rows).toEqual(asElements(await tfjsRows(spaced, { delimWhitespace: true, columnConfigs: { label: { isLabel: true } } }), 'label'));
    expect(rows.map((r) => [...r.xs, r.ys])).toEqual(naiveSplit(text).slice(1).map((line) => line.map(Number)));
    // With the tabs left in, tfjs-data keeps them inside its fields.
    expect(await tfjsColumnNames(path, { delimWhitespace: true })).toEqual(['a\t\tb', '\tlabel']);
  });

  it('ignores whitespace at the end of a line, where tfjs-data reads an empty last field and refuses the row', async () => {
    const text = 'x y  \n1 2   \n3 4\n';
    const path = file('trailing.txt', text);
    const rows = await km.data.csv(path, { delimWhitespace: true, labelColumn: 'y' }).toArray();
    expect(ours(rows)).toEqual([{ xs: [1], ys: 2 }, { xs: [3], ys: 4 }]);
    expect(await thrown(() => tfjsRows(path, { delimWhitespace: true }))).toMatch(/Invalid row in csv file/);
    const trimmed = file('trimmed.txt', text.replace(/ +\n/g, '\n'));
    expect(ours(rows)).toEqual(asElements(await tfjsRows(trimmed, { delimWhitespace: true, columnConfigs: { y: { isLabel: true } } }), 'y'));
  });

  it('refuses a delimiter beside delimWhitespace, as tfjs-data does, naming the fix', async () => {
    const path = file('both.txt', 'a b\n1 2\n');
    for (const delimiter of [',', ' ']) {
      expect(() => km.data.csv(path, { delimWhitespace: true, delimiter })).toThrow(
        `km.data.csv: delimWhitespace splits fields on runs of spaces and tabs, so it takes no delimiter, but delimiter=${JSON.stringify(delimiter)} was given too. ` +
          `Drop delimiter to split on whitespace, or drop delimWhitespace to split on ${JSON.stringify(delimiter)}.`,
      );
      expect(() => tfd.csv(pathToFileURL(path).href, { delimWhitespace: true, delimiter })).toThrow(/Delimiter should not be provided when delimWhitespace is true/);
    }
    expect(() => km.data.csv(path, { delimWhitespace: 'yes' as never })).toThrow(/km\.data\.csv: delimWhitespace must be true or false\. Received: delimWhitespace="yes"/);
    // delimWhitespace: false leaves the delimiter as given: one space each, so two spaces make an empty field.
    const single = file('single.txt', 'a b\n1  2\n');
    await expect(km.data.csv(single, { delimWhitespace: false, delimiter: ' ' }).toArray()).rejects.toThrow(/line 2 has 3 fields, but there are 2 columns/);
    expect(await thrown(() => tfjsRows(single, { delimWhitespace: false, delimiter: ' ' }))).toMatch(/Invalid row in csv file/);
  });

  it('names a line whose unquoted value holds a space, splitting it into too many fields', async () => {
    const path = file('unquoted.txt', 'city pop\nParis 2.1\nNew York 8.3\n');
    await expect(km.data.csv(path, { delimWhitespace: true, columnConfigs: { city: { dtype: 'string' } } }).toArray()).rejects.toThrow(
      /line 3 has 3 fields, but there are 2 columns \(city, pop\)\. Check for a missing field or an unquoted space inside a value \(quote such values: "New York"\)\./,
    );
  });
});
