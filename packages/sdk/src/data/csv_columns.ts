// Which columns km.data.csv reads, and how each field becomes an element's value.
import type { CsvColumnConfig, CsvElement, CsvKeyedElement, CsvOptions } from './csv.js';
import type { CsvRecord } from './csv_parser.js';
import { CsvCellError } from './csv_cell_error.js';
import { checkBooleanOption, checkOptions, optionNames } from '../utils/options.js';

const COLUMN_CONFIG_KEYS = optionNames<CsvColumnConfig>({ default: true, isLabel: true, required: true, dtype: true });
const DTYPES = ['float32', 'int32', 'bool', 'string'];
/** How a `'bool'` column's text reads, in lower case, as tfjs reads it (tfjs reads any other text as 0). */
const BOOLEANS: Readonly<Record<string, number>> = { true: 1, '1': 1, false: 0, '0': 0 };

/** Whether a column config reads its column as text. */
export function isStringColumn(config: CsvColumnConfig | undefined): boolean {
  return config?.dtype === 'string';
}

/** Checks every column config's keys and values, and returns the label column: `labelColumn` or the one marked `isLabel`. */
export function checkColumnConfigs(options: CsvOptions): string | undefined {
  const configs = options.columnConfigs ?? {};
  for (const [name, config] of Object.entries(configs)) {
    const where = `km.data.csv columnConfigs.${name}`;
    checkOptions(config, COLUMN_CONFIG_KEYS, where);
    if (config.isLabel !== undefined) checkBooleanOption(config.isLabel, 'isLabel', where);
    if (config.required !== undefined) checkBooleanOption(config.required, 'required', where);
    if (config.dtype !== undefined && !DTYPES.includes(config.dtype)) {
      throw new Error(`${where}: dtype must be 'float32', 'int32', 'bool' (true/false read as 1/0) or 'string'. Received: dtype=${JSON.stringify(config.dtype)}.`);
    }
    checkDefault(config, where);
  }
  const labels = Object.keys(configs).filter((name) => configs[name].isLabel);
  if (labels.length > 1) {
    throw new Error(
      `km.data.csv: columnConfigs marks ${labels.map((n) => `'${n}'`).join(', ')} as isLabel, but kerasm takes one label column (elements are { xs, ys } with one number ys). ` +
        'Keep isLabel on one column, or for several targets leave isLabel off and split xs with .map(({ xs }) => ({ xs: xs.subarray(0, k), ys: xs.subarray(k) })) with the targets as the last columns.',
    );
  }
  if (labels.length === 1 && options.labelColumn !== undefined) {
    throw new Error(`km.data.csv: both labelColumn ('${options.labelColumn}') and columnConfigs.${labels[0]}.isLabel name the label. Give one of them.`);
  }
  if (options.configuredColumnsOnly !== undefined) checkBooleanOption(options.configuredColumnsOnly, 'configuredColumnsOnly', 'km.data.csv');
  if (options.configuredColumnsOnly && Object.keys(configs).length === 0) {
    throw new Error(
      'km.data.csv: configuredColumnsOnly reads only the columns named in columnConfigs, but none are named, so every row would be empty. ' +
        'Name the columns to read, e.g. columnConfigs: { age: {}, chol: {} }, or drop configuredColumnsOnly.',
    );
  }
  return options.labelColumn ?? labels[0];
}

/** Checks that a column's default is a value of its dtype. */
function checkDefault(config: CsvColumnConfig, where: string): void {
  const value = config.default;
  if (value === undefined) return;
  const [valid, expected] =
    config.dtype === 'string'
      ? [typeof value === 'string', "a string, as the column has dtype 'string'"]
      : config.dtype === 'bool'
        ? [typeof value === 'boolean' || value === 0 || value === 1, "true, false, 1 or 0, as the column has dtype 'bool'"]
        : [Number.isFinite(value), 'a finite number'];
  if (!valid) throw new Error(`${where}.default must be ${expected}. Received: default=${typeof value === 'string' ? JSON.stringify(value) : String(value)}.`);
}

/** How a file's rows become elements: the file's columns, those read (in file order), and the label's place. */
export interface CsvLayout {
  readonly names: readonly string[];
  /** The file indices of the columns read: all of them, or with configuredColumnsOnly the configured ones and the label. */
  readonly read: readonly number[];
  /** The label's file index, or -1. */
  readonly label: number;
  readonly configs: readonly (CsvColumnConfig | undefined)[];
  /** Whether elements are keyed by column name, which a text column needs (a Float32Array holds no strings). */
  readonly keyed: boolean;
  /** What separates fields, and a value holding it, quoted, for the error of a row with too many fields. */
  readonly separator: { readonly name: string; readonly quoted: string };
}

export function layoutOf(names: readonly string[], options: CsvOptions, labelColumn: string | undefined, where: string): CsvLayout {
  for (const name of Object.keys(options.columnConfigs ?? {})) {
    if (!names.includes(name)) throw new Error(`csv ${where}: columnConfigs names '${name}', which is not a column. The columns are: ${names.join(', ')}.`);
  }
  const label = labelColumn === undefined ? -1 : names.indexOf(labelColumn);
  if (labelColumn !== undefined && label < 0) {
    throw new Error(`csv ${where}: labelColumn '${labelColumn}' is not a column. The columns are: ${names.join(', ')}. Pass one of them as labelColumn.`);
  }
  const configs = names.map((n) => options.columnConfigs?.[n]);
  const read = names.flatMap((_, i) => (!options.configuredColumnsOnly || configs[i] !== undefined || i === label ? [i] : []));
  const delimiter = options.delimiter ?? ',';
  const separator = options.delimWhitespace ? { name: 'space', quoted: '"New York"' } : { name: 'delimiter', quoted: `"a${delimiter}b"` };
  return { names, read, label, configs, keyed: read.some((i) => isStringColumn(configs[i])), separator };
}

/** The columns an element holds, in file order: the read ones, label included. */
export function readColumnNames(layout: CsvLayout): string[] {
  return layout.read.map((i) => layout.names[i]);
}

function parseValue(text: string, column: number, record: CsvRecord, layout: CsvLayout, where: string): number | string {
  const name = layout.names[column];
  const config = layout.configs[column];
  const asText = isStringColumn(config);
  const trimmed = text.trim();
  const cell = { line: record.line, column: name, columnIndex: column, value: text };
  const at = `csv ${where}: line ${record.line}, column '${name}' (column ${column + 1})`;
  if (trimmed === '') {
    if (config?.default !== undefined) return typeof config.default === 'boolean' ? Number(config.default) : config.default;
    const example = asText ? `{ dtype: 'string', default: 'unknown' }` : '{ default: 0 }';
    throw new CsvCellError(
      { ...cell, kind: 'empty', problem: `${at} is empty.` },
      `Fill in the value, drop the row, or give a default: columnConfigs: { ${JSON.stringify(name)}: ${example} }.`,
    );
  }
  // Kept as written, spaces included, as tfjs and pandas keep text.
  if (asText) return text;
  if (config?.dtype === 'bool') {
    const value = BOOLEANS[trimmed.toLowerCase()];
    if (value !== undefined) return value;
    throw new CsvCellError(
      { ...cell, kind: 'bool', problem: `${at} holds '${text}', which a 'bool' column does not read (tfjs reads it as 0).` },
      `Write true, false, 1 or 0 there, or read the column as text, columnConfigs: { ${JSON.stringify(name)}: { dtype: 'string' } }, and map its values to numbers.`,
    );
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new CsvCellError(
      { ...cell, kind: 'text', problem: `${at} holds '${text}', which is not a number.` },
      `To use the column, read it as text, columnConfigs: { ${JSON.stringify(name)}: { dtype: 'string' } }, and encode it with a km.layers.stringLookup in a map; ` +
        `to leave it out, pass configuredColumnsOnly: true with columnConfigs naming the columns to read; or encode categories as numbers (0, 1, 2, ...) before training.`,
    );
  }
  // As tfjs, int32 floors the parsed value but leaves a default as given.
  return config?.dtype === 'int32' ? Math.floor(value) : value;
}

/** One record as an element: `{ xs: Float32Array, ys? }`, or keyed by column name when a column is read as text. */
export function toElement(record: CsvRecord, layout: CsvLayout, where: string): CsvElement | CsvKeyedElement {
  if (record.fields.length !== layout.names.length) {
    throw new Error(
      `csv ${where}: line ${record.line} has ${record.fields.length} fields, but there are ${layout.names.length} columns (${layout.names.join(', ')}). ` +
        `Check for a missing field or an unquoted ${layout.separator.name} inside a value (quote such values: ${layout.separator.quoted}).`,
    );
  }
  let ys: number | string | undefined;
  const features: (number | string)[] = [];
  const keyed: Record<string, number | string> = {};
  for (const column of layout.read) {
    const value = parseValue(record.fields[column], column, record, layout, where);
    if (column === layout.label) ys = value;
    else if (layout.keyed) keyed[layout.names[column]] = value;
    else features.push(value);
  }
  const xs = layout.keyed ? keyed : Float32Array.from(features as number[]);
  return (layout.label >= 0 ? { xs, ys } : { xs }) as CsvElement | CsvKeyedElement;
}
