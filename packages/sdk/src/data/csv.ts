import { CsvParser, type CsvRecord } from './csv_parser.js';
import { Dataset } from './dataset.js';
import { textChunks } from './text_source.js';
import { checkBooleanOption, checkOptions, optionNames } from '../utils/options.js';

/** How one column is read; the keys are tfjs' `ColumnConfig` keys that fit an `{ xs, ys }` element. */
export interface CsvColumnConfig {
  /** The value used where the field is empty; without it an empty field is an error. */
  default?: number;
  /** Whether this column is the label (`ys`), as `labelColumn`; at most one column can be. */
  isLabel?: boolean;
  /** Whether an empty field is an error; it always is unless `default` is given, so this only documents it. */
  required?: boolean;
  /** `'float32'` (the default) keeps the value; `'int32'` rounds it down, as tfjs does. */
  dtype?: 'float32' | 'int32';
}

const COLUMN_CONFIG_KEYS = optionNames<CsvColumnConfig>({ default: true, isLabel: true, required: true, dtype: true });
const DTYPES = ['float32', 'int32'];

/** Options of {@link csv}. */
export interface CsvOptions {
  /** The column holding the target; every other column is a feature. Omit for unlabeled data. */
  labelColumn?: string;
  /** Per-column settings, keyed by column name. */
  columnConfigs?: Readonly<Record<string, CsvColumnConfig>>;
  /** Field separator (default `','`). */
  delimiter?: string;
  /** Whether the first line names the columns (default true). */
  hasHeader?: boolean;
  /** Column names, required when `hasHeader` is false; when given with a header, the header line is skipped. */
  columnNames?: readonly string[];
}

/** One CSV row as `fit` consumes it: the features in column order, and the label when there is one. */
export interface CsvElement {
  xs: Float32Array;
  ys?: number;
}

/** A {@link Dataset} of CSV rows that also reports the file's column names, as tfjs' CSVDataset does. */
export class CsvDataset extends Dataset<CsvElement> {
  readonly #columnNames: () => Promise<string[]>;

  /** @internal Use {@link csv}. */
  constructor(open: () => AsyncIterator<CsvElement>, columnNames: () => Promise<string[]>) {
    super(open);
    this.#columnNames = columnNames;
  }

  /**
   * The column names in file order, label column included: `columnNames` when it was given, else
   * the header line (the only line read).
   *
   * @example
   * ```ts
   * const names = await km.data.csv('examples/blobs-test.csv').columnNames(); // ['sepal', ..., 'label']
   * ```
   */
  columnNames(): Promise<string[]> {
    return this.#columnNames();
  }
}

async function* records(pathOrUrl: string, delimiter: string): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(delimiter, pathOrUrl);
  for await (const chunk of textChunks(pathOrUrl)) yield* parser.push(chunk);
  yield* parser.end();
}

/** Checks every column config's keys and values, and returns the label column: `labelColumn` or the one marked `isLabel`. */
function checkColumnConfigs(options: CsvOptions): string | undefined {
  const configs = options.columnConfigs ?? {};
  for (const [name, config] of Object.entries(configs)) {
    const where = `km.data.csv columnConfigs.${name}`;
    checkOptions(config, COLUMN_CONFIG_KEYS, where);
    if (config.isLabel !== undefined) checkBooleanOption(config.isLabel, 'isLabel', where);
    if (config.required !== undefined) checkBooleanOption(config.required, 'required', where);
    if (config.dtype !== undefined && !DTYPES.includes(config.dtype)) {
      throw new Error(`${where}: dtype must be 'float32' or 'int32' (kerasm's csv rows hold numbers only). Received: dtype=${JSON.stringify(config.dtype)}. Encode other columns as numbers before reading.`);
    }
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
  return options.labelColumn ?? labels[0];
}

interface Layout {
  names: readonly string[];
  label: number;
  defaults: (number | undefined)[];
  floors: boolean[];
}

function layoutOf(names: readonly string[], options: CsvOptions, labelColumn: string | undefined, where: string): Layout {
  for (const [name, config] of Object.entries(options.columnConfigs ?? {})) {
    if (!names.includes(name)) throw new Error(`csv ${where}: columnConfigs names '${name}', which is not a column. The columns are: ${names.join(', ')}.`);
    if (config.default !== undefined && !Number.isFinite(config.default)) {
      throw new Error(`csv ${where}: columnConfigs.${name}.default must be a finite number. Received: ${config.default}.`);
    }
  }
  const label = labelColumn === undefined ? -1 : names.indexOf(labelColumn);
  if (labelColumn !== undefined && label < 0) {
    throw new Error(`csv ${where}: labelColumn '${labelColumn}' is not a column. The columns are: ${names.join(', ')}. Pass one of them as labelColumn.`);
  }
  const configs = names.map((n) => options.columnConfigs?.[n]);
  return { names, label, defaults: configs.map((c) => c?.default), floors: configs.map((c) => c?.dtype === 'int32') };
}

function parseValue(text: string, column: number, record: CsvRecord, layout: Layout, where: string): number {
  const name = layout.names[column];
  const trimmed = text.trim();
  if (trimmed === '') {
    const fallback = layout.defaults[column];
    if (fallback !== undefined) return fallback;
    throw new Error(
      `csv ${where}: line ${record.line}, column '${name}' (column ${column + 1}) is empty. ` +
        `Fill in the value, drop the row, or give a default: columnConfigs: { ${JSON.stringify(name)}: { default: 0 } }.`,
    );
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new Error(
      `csv ${where}: line ${record.line}, column '${name}' (column ${column + 1}) holds '${text}', which is not a number. ` +
        'Encode categories as numbers (0, 1, 2, ...) before training.',
    );
  }
  // As tfjs, int32 floors the parsed value but leaves a default as given.
  return layout.floors[column] ? Math.floor(value) : value;
}

function toElement(record: CsvRecord, layout: Layout, where: string): CsvElement {
  if (record.fields.length !== layout.names.length) {
    throw new Error(
      `csv ${where}: line ${record.line} has ${record.fields.length} fields, but there are ${layout.names.length} columns (${layout.names.join(', ')}). ` +
        'Check for a missing field or an unquoted delimiter inside a value (quote such values: "a,b").',
    );
  }
  const xs = new Float32Array(layout.names.length - (layout.label >= 0 ? 1 : 0));
  let k = 0;
  let ys: number | undefined;
  record.fields.forEach((text, column) => {
    const value = parseValue(text, column, record, layout, where);
    if (column === layout.label) ys = value;
    else xs[k++] = value;
  });
  return layout.label >= 0 ? { xs, ys } : { xs };
}

/**
 * A dataset reading a CSV file (a path in Node, or a URL) row by row, without loading it whole.
 * Each element is `{ xs, ys }`: the numeric features in column order and the label column's value
 * (`labelColumn`, or the column whose config has `isLabel: true`), not tfjs' rows keyed by column.
 * Fields may be quoted (`"1,5"`, `"say ""hi"""`); an empty or non-numeric field is an error that
 * names its line and column, unless `columnConfigs` gives that column a default.
 *
 * @example
 * ```ts
 * const ds = km.data.csv('examples/blobs.csv', { labelColumn: 'label' }).shuffle(1000, 1).batch(32);
 * await model.fit(ds, { epochs: 10 });
 * ```
 */
export function csv(pathOrUrl: string, options: CsvOptions = {}): CsvDataset {
  if (typeof pathOrUrl !== 'string' || pathOrUrl === '') throw new Error(`km.data.csv(pathOrUrl) needs a file path or URL. Received: ${JSON.stringify(pathOrUrl)}.`);
  checkOptions(options, optionNames<CsvOptions>({ labelColumn: true, columnConfigs: true, delimiter: true, hasHeader: true, columnNames: true }), 'km.data.csv');
  const delimiter = options.delimiter ?? ',';
  const hasHeader = options.hasHeader ?? true;
  if (!hasHeader && !options.columnNames) {
    throw new Error(`csv ${pathOrUrl}: hasHeader is false, so the columns need names: pass columnNames: ['x1', 'x2', ..., 'label'].`);
  }
  const labelColumn = checkColumnConfigs(options);
  new CsvParser(delimiter, pathOrUrl); // validates the delimiter now rather than at the first read
  const header = async (): Promise<string[]> => {
    if (options.columnNames) return [...options.columnNames];
    for await (const record of records(pathOrUrl, delimiter)) return record.fields.map((f) => f.trim());
    throw new Error(`csv ${pathOrUrl}: the file is empty, so it has no header line naming the columns.`);
  };
  const rows = async function* () {
    let layout = options.columnNames ? layoutOf(options.columnNames, options, labelColumn, pathOrUrl) : null;
    let first = true;
    for await (const record of records(pathOrUrl, delimiter)) {
      if (first && hasHeader) {
        first = false;
        layout ??= layoutOf(record.fields.map((f) => f.trim()), options, labelColumn, pathOrUrl);
        continue;
      }
      first = false;
      yield toElement(record, layout!, pathOrUrl);
    }
  };
  return new CsvDataset(rows, header);
}
