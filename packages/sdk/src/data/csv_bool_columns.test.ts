import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfd, tfjsReady } from './testing/tfjs_data.js';

// km.data.csv's 'bool' columns read as tfjs-data 4.22 reads them (true/1 → 1, false/0 → 0, any case),
// except that other text, which tfjs reads as 0, is an error naming the line and the fix.
beforeAll(tfjsReady);

const dir = mkdtempSync(join(tmpdir(), 'kerasm-csv-bool-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("km.data.csv columnConfigs dtype 'bool'", () => {
  it('reads true, false, 1 and 0 in any case as tfjs-data does', async () => {
    const path = file('flags.csv', 'smoker,age,label\ntrue,41,1\nFALSE,37,0\n1,63,1\n0,50,0\nTrue,29,1\n');
    const config = { columnConfigs: { smoker: { dtype: 'bool' as const }, label: { isLabel: true } } };
    const ours = await km.data.csv(path, config).toArray();
    const theirs = (await tfd.csv(pathToFileURL(path).href, config).toArray()) as { xs: { smoker: number; age: number }; ys: { label: number } }[];
    expect(ours.map((r) => [...r.xs])).toEqual(theirs.map((r) => [r.xs.smoker, r.xs.age]));
    expect(ours.map((r) => r.ys)).toEqual(theirs.map((r) => r.ys.label));
    expect(ours.map((r) => r.xs[0])).toEqual([1, 0, 1, 0, 1]);
  });

  it('refuses other text, which tfjs reads as 0, naming the line, the value and the fix', async () => {
    const path = file('yes.csv', 'smoker,age\ntrue,41\nyes,37\n');
    const config = { columnConfigs: { smoker: { dtype: 'bool' as const } } };
    const theirs = (await tfd.csv(pathToFileURL(path).href, config).toArray()) as { smoker: number }[];
    expect(theirs[1]!.smoker).toBe(0);
    await expect(km.data.csv(path, config).toArray()).rejects.toThrow(
      `csv ${path}: line 3, column 'smoker' (column 1) holds 'yes', which a 'bool' column does not read (tfjs reads it as 0). Write true, false, 1 or 0 there, or read the column as text, columnConfigs: { "smoker": { dtype: 'string' } }, and map its values to numbers.`,
    );
  });

  it('fills an empty field from a default of true/false or 1/0, and refuses another default', async () => {
    const path = file('gaps.csv', 'smoker,age\n,41\nfalse,37\n');
    const rows = await km.data.csv(path, { columnConfigs: { smoker: { dtype: 'bool', default: true } } }).toArray();
    expect(rows.map((r) => [...r.xs])).toEqual([[1, 41], [0, 37]]);
    expect(() => km.data.csv(path, { columnConfigs: { smoker: { dtype: 'bool', default: 2 } } })).toThrow(
      "km.data.csv columnConfigs.smoker.default must be true, false, 1 or 0, as the column has dtype 'bool'. Received: default=2.",
    );
  });
});
