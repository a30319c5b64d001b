import { readFile } from 'node:fs/promises';
import * as km from '@kerasm/sdk';

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * The delimiter a CSV file probably uses when, read with `delimiter`, its header came out as one
 * column that holds another delimiter (`a;b;c` read with ','); undefined otherwise.
 */
export function likelyDelimiter(columns: readonly string[], delimiter: string): string | undefined {
  if (columns.length !== 1) return undefined;
  return DELIMITERS.find((d) => d !== delimiter && columns[0].includes(d));
}

/** How to pass `delimiter` on a shell command line. */
export function delimiterFlag(delimiter: string): string {
  return delimiter === '\t' ? "--delimiter $'\\t'" : `--delimiter '${delimiter}'`;
}

/**
 * The 1-based file line on which data row `row` (0-based, after the header if `hasHeader`) starts:
 * blank lines are skipped and a quoted field may span lines, as the SDK's reader does. Undefined if
 * the file cannot be read again.
 */
export async function lineOfRow(path: string, row: number, hasHeader = true): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let records = hasHeader ? -1 : 0; // a header is record -1
  let inQuotes = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!inQuotes && lines[i] !== '') {
      if (records === row) return i + 1;
      records++;
    }
    // Doubled quotes inside a field come in pairs, so an odd count opens or closes a quoted field.
    if ((lines[i].match(/"/g)?.length ?? 0) % 2 === 1) inQuotes = !inQuotes;
  }
  return undefined;
}

/**
 * Throws, naming the file line, when `label` (data row `row` of `path`) is not a class index of a
 * model with `classes` outputs; `source` says how the file was given (`--data`, `data.path`).
 */
export async function checkClassLabel(label: number | undefined, row: number, classes: number, source: string, path: string, hasHeader = true): Promise<void> {
  if (label === undefined || (Number.isInteger(label) && label >= 0 && label < classes)) return;
  const line = await lineOfRow(path, row, hasHeader);
  const where = `${source} ${path}, ${line === undefined ? `data row ${row + 1}` : `line ${line}`}`;
  const problem = Number.isInteger(label) ? 'is out of range for' : 'is not a whole-number class index of';
  throw new Error(`${where}: label ${label} ${problem} the model's ${classes}-class output (valid labels: 0 to ${classes - 1}). Fix the label, or give the last layer more units.`);
}

/**
 * The CSV reader's error for a text or an empty cell, with advice for the CLI in place of
 * km.data.csv's options: its models read numbers only, so categories are encoded as numbers before
 * `verb` ('training', 'predicting'); an empty cell takes a default only in the `config` file, when
 * the command has one. Other errors are returned as they are.
 */
export function withCliCellAdvice(err: unknown, verb: string, config?: string): unknown {
  if (!(err instanceof km.data.CsvCellError)) return err;
  if (err.kind === 'text') return new Error(`${err.problem} Encode categories as numbers (0, 1, 2, ...) before ${verb}.`, { cause: err });
  if (err.kind !== 'empty') return err;
  const advice = config === undefined ? 'Fill in the value or drop the row.' : `Fill in the value, drop the row, or give the column a default in ${config}: "data": { "columnConfigs": { ${JSON.stringify(err.column)}: { "default": 0 } } }.`;
  return new Error(`${err.problem} ${advice}`, { cause: err });
}
