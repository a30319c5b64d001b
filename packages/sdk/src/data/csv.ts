import { CsvParser, type CsvRecord } from './csv_parser.js';
import { Dataset } from './dataset.js';
import { textChunks } from './text_source.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** How one column is read. */
export interface CsvColumnConfig {
  /** The value used where the field is empty; without it an empty field is an error. */
  default?: number;
}

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

interface Layout {
  names: readonly string[];
  label: number;
  defaults: (number | undefined)[];
}

function layoutOf(names: readonly string[], options: CsvOptions, where: string): Layout {
  const label = options.labelColumn === undefined ? -1 : names.indexOf(options.labelColumn);
  if (options.labelColumn !== undefined && label < 0) {
    throw new Error(`csv ${where}: labelColumn '${options.labelColumn}' is not a column. The columns are: ${names.join(', ')}. Pass one of them as labelColumn.`);
  }
  for (const [name, config] of Object.entries(options.columnConfigs ?? {})) {
    if (!names.includes(name)) throw new Error(`csv ${where}: columnConfigs names '${name}', which is not a column. The columns are: ${names.join(', ')}.`);
    if (config.default !== undefined && !Number.isFinite(config.default)) {
      throw new Error(`csv ${where}: columnConfigs.${name}.default must be a finite number. Received: ${config.default}.`);
    }
  }
  return { names, label, defaults: names.map((n) => options.columnConfigs?.[n]?.default) };
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
  return value;
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
 * Each element is `{ xs, ys }`: the numeric features in column order and the `labelColumn` value.
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
  new CsvParser(delimiter, pathOrUrl); // validates the delimiter now rather than at the first read
  const header = async (): Promise<string[]> => {
    if (options.columnNames) return [...options.columnNames];
    for await (const record of records(pathOrUrl, delimiter)) return record.fields.map((f) => f.trim());
    throw new Error(`csv ${pathOrUrl}: the file is empty, so it has no header line naming the columns.`);
  };
  const rows = async function* () {
    let layout = options.columnNames ? layoutOf(options.columnNames, options, pathOrUrl) : null;
    let first = true;
    for await (const record of records(pathOrUrl, delimiter)) {
      if (first && hasHeader) {
        first = false;
        layout ??= layoutOf(record.fields.map((f) => f.trim()), options, pathOrUrl);
        continue;
      }
      first = false;
      yield toElement(record, layout!, pathOrUrl);
    }
  };
  return new CsvDataset(rows, header);
}
