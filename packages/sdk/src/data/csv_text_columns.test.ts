import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as km from '../index.js';
import { tfd, tfjsReady } from './testing/tfjs_data.js';

beforeAll(tfjsReady);

const dir = mkdtempSync(join(tmpdir(), 'kerasm-csv-text-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// A few rows shaped like keras.io's heart.csv: numbers, and the text column thal.
const HEART = 'age,sex,cp,chol,thal,target\n63,1,1,233,fixed,1\n67,1,4,286,normal,0\n37,1,3,250,normal,0\n41,0,2,204,reversible,1\n';

/** The file split on commas and newlines, by hand: each row's values keyed by column, numbers where they parse. */
function naiveRows(text: string): Record<string, number | string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], Number.isNaN(Number(v)) ? v : Number(v)])));
}

async function tfjsRows(path: string, config: Record<string, unknown>): Promise<{ xs: Record<string, unknown>; ys: Record<string, unknown> }[]> {
  return (await tfd.csv(pathToFileURL(path).href, config).toArray()) as never;
}

describe("km.data.csv text columns (columnConfigs dtype 'string')", () => {
  it('keeps a text column as strings and the rest as numbers, keyed by column name, as tfjs-data does', async () => {
    const path = file('heart.csv', HEART);
    const rows = await km.data.csv(path, { labelColumn: 'target', columnConfigs: { thal: { dtype: 'string' } } }).toArray();
    const expected = naiveRows(HEART).map(({ target, ...xs }) => ({ xs, ys: target }));
    expect(rows).toEqual(expected);
    expect(rows.map((r) => Object.keys(r.xs))).toEqual(rows.map(() => ['age', 'sex', 'cp', 'chol', 'thal']));
    expect(rows.map((r) => typeof r.xs.thal)).toEqual(['string', 'string', 'string', 'string']);
    expect(rows.map((r) => typeof r.xs.age)).toEqual(['number', 'number', 'number', 'number']);
    // tfjs-data gives the same features, and the label keyed by its name where kerasm gives its value.
    const theirs = await tfjsRows(path, { columnConfigs: { thal: { dtype: 'string' }, target: { isLabel: true } } });
    expect(rows.map((r) => r.xs)).toEqual(theirs.map((r) => r.xs));
    expect(rows.map((r) => r.ys)).toEqual(theirs.map((r) => r.ys.target));
    expectTypeOf(rows[0].xs.thal).toEqualTypeOf<string>();
    expectTypeOf(rows[0].xs.age).toEqualTypeOf<number | string>();
  });

  it('keeps text as written, numeric-looking text included (where tfjs-data makes a number of it), and takes a string label', async () => {
    const path = file('kept.csv', 'x,code,label\n1, a b ,yes\n2,"3",no\n');
    const rows = await km.data.csv(path, { columnConfigs: { code: { dtype: 'string' }, label: { dtype: 'string', isLabel: true } } }).toArray();
    expect(rows).toEqual([{ xs: { x: 1, code: ' a b ' }, ys: 'yes' }, { xs: { x: 2, code: '3' }, ys: 'no' }]);
    const theirs = await tfjsRows(path, { columnConfigs: { code: { dtype: 'string' }, label: { dtype: 'string', isLabel: true } } });
    expect(theirs.map((r) => r.xs.code)).toEqual([' a b ', 3]);
    // A label alone read as text keys the features too: one rule, any column with dtype 'string'.
    const labelOnly = await km.data.csv(path, { labelColumn: 'label', configuredColumnsOnly: true, columnConfigs: { x: {}, label: { dtype: 'string' } } }).toArray();
    expect(labelOnly).toEqual([{ xs: { x: 1 }, ys: 'yes' }, { xs: { x: 2 }, ys: 'no' }]);
  });

  it("fills an empty text field with a string default, and without one names the fix with dtype 'string'", async () => {
    const path = file('empty.csv', 'age,thal\n63,fixed\n67,\n');
    const filled = await km.data.csv(path, { columnConfigs: { thal: { dtype: 'string', default: 'unknown' } } }).toArray();
    expect(filled.map((r) => r.xs.thal)).toEqual(['fixed', 'unknown']);
    await expect(km.data.csv(path, { columnConfigs: { thal: { dtype: 'string' } } }).toArray()).rejects.toThrow(
      /line 3, column 'thal' \(column 2\) is empty\. Fill in the value, drop the row, or give a default: columnConfigs: \{ "thal": \{ dtype: 'string', default: 'unknown' \} \}\./,
    );
    expect(() => km.data.csv(path, { columnConfigs: { thal: { dtype: 'string', default: 0 } } })).toThrow(/columnConfigs\.thal\.default must be a string, as the column has dtype 'string'\. Received: default=0/);
    expect(() => km.data.csv(path, { columnConfigs: { age: { default: 'none' } } })).toThrow(/columnConfigs\.age\.default must be a finite number\. Received: default="none"/);
  });

  it('names the column, line, value and the fixes for a text value in a column read as numbers', async () => {
    const path = file('unconfigured.csv', HEART);
    const error = km.data.csv(path, { labelColumn: 'target' }).toArray();
    await expect(error).rejects.toThrow(
      new RegExp(
        `csv ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 2, column 'thal' \\(column 5\\) holds 'fixed', which is not a number\\. ` +
          `To use the column, read it as text, columnConfigs: \\{ "thal": \\{ dtype: 'string' \\} \\}, and encode it with a km\\.layers\\.stringLookup in a map; ` +
          'to leave it out, pass configuredColumnsOnly: true with columnConfigs naming the columns to read; or encode categories as numbers',
      ),
    );
    // A column configured as numbers gets the same advice.
    await expect(km.data.csv(path, { labelColumn: 'target', columnConfigs: { thal: { dtype: 'int32' } } }).toArray()).rejects.toThrow(/column 'thal' \(column 5\) holds 'fixed', which is not a number/);
  });

  it('configuredColumnsOnly reads only the configured columns and the label, skipping a text column, as tfjs-data does', async () => {
    const path = file('only.csv', HEART);
    const configs = { age: {}, chol: { dtype: 'float32' as const } };
    const ours = km.data.csv(path, { labelColumn: 'target', configuredColumnsOnly: true, columnConfigs: configs });
    const theirs = await tfjsRows(path, { configuredColumnsOnly: true, columnConfigs: { ...configs, target: { isLabel: true } } });
    const rows = await ours.toArray();
    expect(rows.map((r) => Array.from(r.xs))).toEqual(theirs.map((r) => Object.values(r.xs)));
    expect(rows.map((r) => r.ys)).toEqual(theirs.map((r) => r.ys.target));
    expect(rows.map((r) => Array.from(r.xs))).toEqual(naiveRows(HEART).map((r) => [r.age, r.chol]));
    expect(await ours.columnNames()).toEqual(['age', 'chol', 'target']);
    // isLabel counts as configured; a configured text column keys the elements.
    const keyed = await km.data.csv(path, { configuredColumnsOnly: true, columnConfigs: { thal: { dtype: 'string' }, age: {}, target: { isLabel: true } } }).toArray();
    expect(keyed[3]).toEqual({ xs: { age: 41, thal: 'reversible' }, ys: 1 });
    expect(() => km.data.csv(path, { configuredColumnsOnly: true })).toThrow(/configuredColumnsOnly reads only the columns named in columnConfigs, but none are named.*Name the columns to read/);
    expect(() => km.data.csv(path, { configuredColumnsOnly: 'yes' as never, columnConfigs: { age: {} } })).toThrow(/configuredColumnsOnly must be true or false/);
  });

  it("batches a text column into a string[] beside number tensors, and fit refuses it naming stringLookup", async () => {
    const path = file('batched.csv', HEART);
    const rows = km.data.csv(path, { labelColumn: 'target', columnConfigs: { thal: { dtype: 'string' } } });
    const [batch] = await rows.batch(4).toArray();
    const naive = naiveRows(HEART);
    expect(batch.xs.thal).toEqual(naive.map((r) => r.thal));
    expect(Array.from(batch.xs.age instanceof km.Tensor ? batch.xs.age.dataSync() : [])).toEqual(naive.map((r) => r.age));
    expectTypeOf(batch.xs.thal).toEqualTypeOf<string[]>();
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [5] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(model.fit(rows.batch(4), { epochs: 1, verbose: 0 })).rejects.toThrow(
      /fit\(dataset\): batch 0 xs\.thal is text \(\["fixed","normal","normal","reversible"\]\), and a model reads numbers .*Encode it in a map before \.batch: const lookup = km\.layers\.stringLookup\(\{ outputMode: 'one_hot' \}\); await lookup\.adapt\(texts\); then lookup\.apply\(e\.xs\.thal\)/,
    );
    const labels = km.data.csv(file('labels.csv', 'x,label\n1,yes\n2,no\n'), { labelColumn: 'label', columnConfigs: { label: { dtype: 'string' } } });
    const numbers = labels.map(({ xs, ys }) => ({ xs: Float32Array.of(xs.x as number), ys })).batch(2);
    await expect(model.evaluate(numbers)).rejects.toThrow(/evaluate\(dataset\): batch 0 ys is text \(\["yes","no"\]\).*lookup\.apply\(e\.ys\)/);
  });

  it('types its elements by the options: Float32Array rows without a text column', () => {
    expectTypeOf(km.data.csv('a.csv', { labelColumn: 'y' })).toEqualTypeOf<km.data.CsvDataset<km.data.CsvElement>>();
    expectTypeOf(km.data.csv('a.csv', { columnConfigs: { a: { default: 0 } } })).toEqualTypeOf<km.data.CsvDataset<km.data.CsvElement>>();
    expectTypeOf(km.data.csv('a.csv', { columnConfigs: { t: { dtype: 'string' }, a: {} } })).toEqualTypeOf<km.data.CsvDataset<km.data.CsvKeyedElement<'t'>>>();
    const options: km.data.CsvOptions = {};
    expectTypeOf(km.data.csv('a.csv', options)).toEqualTypeOf<km.data.CsvDataset<km.data.CsvElement | km.data.CsvKeyedElement>>();
    // @ts-expect-error an option csv does not take
    expect(() => km.data.csv('a.csv', { labelColum: 'y' })).toThrow(/no option 'labelColum'; did you mean 'labelColumn'/);
  });
});
