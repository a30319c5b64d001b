import { CsvParser, WHITESPACE, type CsvDelimiter, type CsvRecord } from './csv_parser.js';
import { checkColumnConfigs, layoutOf, readColumnNames, toElement, type CsvLayout } from './csv_columns.js';
import { Dataset } from './dataset.js';
import { textChunks } from './text_source.js';
import { checkBooleanOption, checkOptions, optionNames } from '../utils/options.js';

/** How one column is read; the keys are tfjs' `ColumnConfig` keys. */
export interface CsvColumnConfig {
  /** The value used where the field is empty (a string for a `'string'` column, 0/1 or false/true for a `'bool'` one); without it an empty field is an error. */
  default?: number | string | boolean;
  /** Whether this column is the label (`ys`), as `labelColumn`; at most one column can be. */
  isLabel?: boolean;
  /** Whether an empty field is an error; it always is unless `default` is given, so this only documents it. */
  required?: boolean;
  /**
   * `'float32'` (the default) keeps the number; `'int32'` rounds it down, as tfjs does; `'bool'`
   * reads `true`/`false`/`1`/`0` (any case) as 1 and 0, as tfjs does, but refuses other text, which
   * tfjs reads as 0; `'string'` keeps the text as written (where tfjs still makes numbers of
   * numeric-looking text), and makes the elements keyed by column name (see {@link csv}).
   */
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
}

/** Options of {@link csv}. */
export interface CsvOptions {
  /** The column holding the target; every other column is a feature. Omit for unlabeled data. */
  labelColumn?: string;
  /** Per-column settings, keyed by column name. */
  columnConfigs?: Readonly<Record<string, CsvColumnConfig>>;
  /** Read only the columns named in `columnConfigs` (and `labelColumn`), as tfjs does; the others are skipped unparsed. */
  configuredColumnsOnly?: boolean;
  /** Field separator (default `','`). */
  delimiter?: string;
  /**
   * Split each line, header included, on runs of whitespace instead of a delimiter, as tfjs'
   * `delimWhitespace` does: `1   2.5  0` is three fields. A quoted field may hold spaces
   * (`"New York"`); leave `delimiter` unset. Where tfjs splits on spaces only, kerasm splits on tabs
   * too (as tfjs' docs describe and pandas' `sep=r'\s+'` does), and ignores whitespace at the end of
   * a line (tfjs reads an empty last field there and refuses the row).
   */
  delimWhitespace?: boolean;
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

/**
 * One CSV row when a column is read as text (`dtype: 'string'`): the features keyed by column
 * name, numbers and strings (`S`, the text columns, are strings), and the label's value.
 */
export interface CsvKeyedElement<S extends string = never> {
  xs: Record<string, number | string> & { [K in S]: string };
  ys?: number | string;
}

/** How `csv` reads the column a config describes: as text, as numbers, or (a config typed as any `CsvColumnConfig`) either. */
type ColumnKind<T> = 'dtype' extends keyof T
  ? [Exclude<T[keyof T & 'dtype'], undefined>] extends ['string']
    ? 'text'
    : 'string' extends T[keyof T & 'dtype']
      ? 'either'
      : 'number'
  : 'number';
type ColumnKinds<O> = O extends { readonly columnConfigs?: infer C } ? { [K in keyof C]-?: ColumnKind<C[K]> }[keyof C] : never;
type TextColumns<O> = O extends { readonly columnConfigs?: infer C } ? { [K in keyof C]-?: ColumnKind<C[K]> extends 'text' ? K : never }[keyof C] & string : never;

/**
 * The element type {@link csv} gives for options of type `O`: {@link CsvKeyedElement} when a
 * column config has `dtype: 'string'`, else {@link CsvElement}.
 */
export type CsvElementOf<O> = 'text' extends ColumnKinds<O> ? CsvKeyedElement<TextColumns<O>> : 'either' extends ColumnKinds<O> ? CsvElement | CsvKeyedElement : CsvElement;

/** A {@link Dataset} of CSV rows that also reports the file's column names, as tfjs' CSVDataset does. */
export class CsvDataset<E = CsvElement> extends Dataset<E> {
  readonly #columnNames: () => Promise<string[]>;

  /** @internal Use {@link csv}. */
  constructor(open: () => AsyncIterator<E>, columnNames: () => Promise<string[]>) {
    super(open);
    this.#columnNames = columnNames;
  }

  /**
   * The column names in file order, label column included: `columnNames` when it was given, else
   * the header line (the only line read). With `configuredColumnsOnly`, only the columns read (in
   * file order, where tfjs lists them in `columnConfigs`' order).
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

async function* records(pathOrUrl: string, delimiter: CsvDelimiter): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(delimiter, pathOrUrl);
  for await (const chunk of textChunks(pathOrUrl)) yield* parser.push(chunk);
  yield* parser.end();
}

/** The field separator `options` ask for: `delimiter`, or whitespace with `delimWhitespace`, which refuses a `delimiter` beside it as tfjs does. */
function delimiterOf(options: CsvOptions): CsvDelimiter {
  if (options.delimWhitespace !== undefined) checkBooleanOption(options.delimWhitespace, 'delimWhitespace', 'km.data.csv');
  if (!options.delimWhitespace) return options.delimiter ?? ',';
  if (options.delimiter != null) {
    throw new Error(
      `km.data.csv: delimWhitespace splits fields on runs of spaces and tabs, so it takes no delimiter, but delimiter=${JSON.stringify(options.delimiter)} was given too. ` +
        `Drop delimiter to split on whitespace, or drop delimWhitespace to split on ${JSON.stringify(options.delimiter)}.`,
    );
  }
  return WHITESPACE;
}

/**
 * A dataset reading a CSV file (a path in Node, or a URL) row by row, without loading it whole.
 * Each element is `{ xs, ys }`: the numeric features in column order as a Float32Array and the
 * label column's value (`labelColumn`, or the column whose config has `isLabel: true`), ready to
 * batch for `fit`. Fields may be quoted (`"1,5"`, `"say ""hi"""`); an empty or non-numeric field
 * is an error that names its line, column and value, unless `columnConfigs` gives that column a
 * default or reads it as text.
 *
 * A column read as text (`columnConfigs: { thal: { dtype: 'string' } }`) keeps its values as
 * strings, which a Float32Array cannot hold, so then `xs` is keyed by column name, as tfjs' rows
 * are: `{ xs: { age: 63, thal: 'fixed', ... }, ys: 1 }`. Encode the text into numbers in a `map`
 * (a `km.layers.stringLookup` or `textVectorization` runs on data) before `fit`; batched as it is,
 * a text column becomes a plain `string[]` (kerasm's tensors hold no strings), which `fit` refuses.
 * `configuredColumnsOnly: true` reads only the columns named in `columnConfigs`, to skip others.
 * `delimWhitespace: true` reads files whose columns are aligned with spaces or tabs.
 *
 * @example
 * ```ts
 * const ds = km.data.csv('examples/blobs.csv', { labelColumn: 'label' }).shuffle(1000, 1).batch(32);
 * await model.fit(ds, { epochs: 10 });
 * // Columns separated by runs of spaces, as UCI's housing.data, with no header line:
 * const housing = km.data.csv('housing.data', { delimWhitespace: true, hasHeader: false, labelColumn: 'medv',
 *   columnNames: ['crim', 'zn', 'indus', 'chas', 'nox', 'rm', 'age', 'dis', 'rad', 'tax', 'ptratio', 'b', 'lstat', 'medv'] });
 * // A text column, one-hot encoded beside the numeric features (keras.io's heart disease example):
 * const rows = km.data.csv('heart.csv', { labelColumn: 'target', columnConfigs: { thal: { dtype: 'string' } } });
 * const thal = km.layers.stringLookup({ outputMode: 'one_hot' });
 * await thal.adapt((await rows.toArray()).map((r) => r.xs.thal));
 * const encoded = rows.map(({ xs: { thal: text, ...numbers }, ys }) => ({
 *   xs: Float32Array.of(...(Object.values(numbers) as number[]), ...thal.apply(text).dataSync()),
 *   ys: ys as number,
 * }));
 * await model.fit(encoded.shuffle(1000, 1).batch(32), { epochs: 10 });
 * ```
 */
export function csv<O extends CsvOptions = Record<never, never>>(pathOrUrl: string, options?: O & { [K in Exclude<keyof O, keyof CsvOptions>]: never }): CsvDataset<CsvElementOf<O>>;
export function csv(pathOrUrl: string, options: CsvOptions = {}): CsvDataset<CsvElement | CsvKeyedElement> {
  if (typeof pathOrUrl !== 'string' || pathOrUrl === '') throw new Error(`km.data.csv(pathOrUrl) needs a file path or URL. Received: ${JSON.stringify(pathOrUrl)}.`);
  checkOptions(options, optionNames<CsvOptions>({ labelColumn: true, columnConfigs: true, configuredColumnsOnly: true, delimiter: true, delimWhitespace: true, hasHeader: true, columnNames: true }), 'km.data.csv');
  const delimiter = delimiterOf(options);
  const hasHeader = options.hasHeader ?? true;
  if (!hasHeader && !options.columnNames) {
    throw new Error(`csv ${pathOrUrl}: hasHeader is false, so the columns need names: pass columnNames: ['x1', 'x2', ..., 'label'].`);
  }
  const labelColumn = checkColumnConfigs(options);
  new CsvParser(delimiter, pathOrUrl); // validates the delimiter now rather than at the first read
  const fileColumns = async (): Promise<string[]> => {
    if (options.columnNames) return [...options.columnNames];
    for await (const record of records(pathOrUrl, delimiter)) return record.fields.map((f) => f.trim());
    throw new Error(`csv ${pathOrUrl}: the file is empty, so it has no header line naming the columns.`);
  };
  const columnNames = async (): Promise<string[]> => {
    const names = await fileColumns();
    return options.configuredColumnsOnly ? readColumnNames(layoutOf(names, options, labelColumn, pathOrUrl)) : names;
  };
  const rows = async function* () {
    let layout: CsvLayout | null = options.columnNames ? layoutOf(options.columnNames, options, labelColumn, pathOrUrl) : null;
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
  return new CsvDataset(rows, columnNames);
}
