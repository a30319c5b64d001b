import { readFile } from 'node:fs/promises';

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
 * The CSV reader's advice for an empty cell ends by naming km.data.csv's `columnConfigs`, which a
 * CLI user gives in a config file or not at all: `advice` writes what replaces ", drop the row, or
 * give a default: ...", given the column's quoted name. Other messages are left as they are.
 */
export function rewordEmptyCellAdvice(message: string, advice: (column: string) => string): string {
  return message.replace(/, drop the row, or give a default: columnConfigs: \{ ("[^"]*"): \{ default: 0 \} \}\.$/, (_, column: string) => advice(column));
}

/**
 * The CSV reader's advice for a text cell names km.data.csv's options for text columns
 * (`dtype: 'string'`, `configuredColumnsOnly`), which the CLI does not take: its models read
 * numbers only, so the advice becomes encoding the categories as numbers before `verb`
 * ('training', 'predicting'). Other messages are left as they are.
 */
export function rewordTextCellAdvice(message: string, verb: string): string {
  return message.replace(/(holds '[\s\S]*?', which is not a number\.) To use the column, read it as text, [\s\S]*$/, (_, problem: string) => `${problem} Encode categories as numbers (0, 1, 2, ...) before ${verb}.`);
}
