import { stat } from 'node:fs/promises';
import * as km from '@kerasm/sdk';
import type { SavedModel } from './commands/saved_model.js';
import { featureOrder, namesColumns } from './csv_columns.js';
import { labelClassCount, targetsFor } from './class_targets.js';
import { checkClassLabel, delimiterFlag, likelyDelimiter, withCliCellAdvice } from './csv_checks.js';
import type { CsvInput } from './model_args.js';
import { dataSampleShape, describeSampleSize, sampleSize, type SampleShape } from './sample_shape.js';

/** Prints a line for the user beside the result (json_stdout's noteFor). */
export type Note = (line: string) => void;

/** A CSV file's samples, whether its first line was a header (for the file line of a row), and the shape a row's features take. */
interface OpenedCsv {
  rows: km.data.Dataset<km.data.CsvElement>;
  hasHeader: boolean;
  /** The model's sample shape, an unknown dimension (None) sized by the file's feature columns. */
  sampleShape: number[];
}

/**
 * Opens a CSV file of samples for `saved`, after checking its columns against the model, so that a
 * mismatch names both rather than failing inside a batch. A model that recorded the columns it was
 * trained on gets them by name, in its order, from a file with a header.
 */
async function openCsv(csv: CsvInput, saved: SavedModel, flag: string, labels: 'required' | 'optional', note: Note): Promise<OpenedCsv> {
  const { sampleShape, csvColumns } = saved;
  // Without --label-column, the target column is the one the model recorded training on.
  if (!csv.labelColumnGiven && csvColumns) csv = { ...csv, labelColumn: csvColumns.label };
  // The SDK's read error for a folder (EISDIR) does not name the path.
  if ((await stat(csv.path).catch(() => undefined))?.isDirectory()) throw new Error(`${flag} ${csv.path} is a folder, not a CSV file. Pass the path of a .csv file.`);
  const columns = await km.data.csv(csv.path, { delimiter: csv.delimiter }).columnNames();
  if (!namesColumns(columns)) return { ...openHeaderless(csv, saved, flag, labels, columns.length, note), hasHeader: false };
  const delimiter = likelyDelimiter(columns, csv.delimiter);
  if (delimiter !== undefined) {
    throw new Error(`${flag} ${csv.path} reads as one column, '${columns[0]}', with the delimiter ${JSON.stringify(csv.delimiter)}; its header looks separated by ${JSON.stringify(delimiter)}. Pass ${delimiterFlag(delimiter)}.`);
  }
  const labeled = columns.includes(csv.labelColumn);
  if (!labeled && (labels === 'required' || csv.labelColumnGiven)) {
    throw new Error(`${flag} ${csv.path} has no column '${csv.labelColumn}' holding the targets. Its columns are: ${columns.join(', ')}. Name the target column with --label-column NAME.`);
  }
  const featureColumns = columns.filter((c) => !labeled || c !== csv.labelColumn);
  const order = csvColumns ? featureOrder(featureColumns, csvColumns, `${flag} ${csv.path}`, csv.labelColumn) : undefined;
  const shape = dataSampleShape(sampleShape, featureColumns.length);
  if (shape === undefined) {
    const unlabeledHint = labeled ? '' : ` If one of them is the target, name it with --label-column NAME.`;
    throw new Error(
      `The model takes samples of shape [${sampleShape.join(', ')}] (${describeSampleSize(sampleShape)}), but ${flag} ${csv.path} has ${featureColumns.length} feature columns ` +
        `(${featureColumns.join(', ')}).${unlabeledHint}`,
    );
  }
  // Empty cells get the defaults training gave them, in the columns this file has.
  const defaults = Object.entries(csvColumns?.defaults ?? {}).filter(([column]) => columns.includes(column));
  const columnConfigs = Object.fromEntries(defaults.map(([column, value]) => [column, { default: value }]));
  const rows = km.data.csv(csv.path, { delimiter: csv.delimiter, ...(labeled ? { labelColumn: csv.labelColumn } : {}), ...(defaults.length > 0 ? { columnConfigs } : {}) });
  if (order === undefined) return { rows, hasHeader: true, sampleShape: shape };
  note(`${flag} ${csv.path} has the model's columns in another order; they are read by name (${csvColumns!.features.join(', ')}).`);
  return { rows: rows.map(({ xs, ys }) => ({ xs: Float32Array.from(order, (i) => xs[i]), ...(ys === undefined ? {} : { ys }) })), hasHeader: true, sampleShape: shape };
}

/**
 * Opens a CSV file whose first line holds only numbers, so is a sample rather than a header: its
 * columns are read by position, the model's features and then, when there is one more column, the
 * target. Recorded defaults for empty cells apply by position too. For a model whose samples take
 * any number of values (an unknown dimension), the last column is the target only where labels
 * are required (evaluate); predict reads every column as a feature and notes it.
 */
function openHeaderless(csv: CsvInput, saved: SavedModel, flag: string, labels: 'required' | 'optional', count: number, note: Note): { rows: km.data.CsvDataset; sampleShape: number[] } {
  const { sampleShape, csvColumns } = saved;
  const source = `${flag} ${csv.path} has no header line (its first line holds only numbers), so its columns are read by position`;
  if (csv.labelColumnGiven) {
    throw new Error(`${source}: --label-column ${csv.labelColumn} names no column. Drop --label-column (the last column is the target when there is one more than ${modelFeatures(sampleShape)}), or add a header line naming the columns.`);
  }
  const asFeatures = dataSampleShape(sampleShape, count);
  const withTarget = dataSampleShape(sampleShape, count - 1);
  const labeled = withTarget !== undefined && (labels === 'required' || asFeatures === undefined);
  const shape = labeled ? withTarget : labels === 'optional' ? asFeatures : undefined;
  if (shape === undefined) {
    throw new Error(`${source}: expected ${expectedColumns(sampleShape, labels)}, but it has ${count}. Give it those columns, or add a header line naming them.`);
  }
  if (labels === 'optional' && !labeled && withTarget !== undefined) {
    note(`${source}, and the model takes samples of any length, so all ${count} are read as features; add a header line to have the target column (${csv.labelColumn}) read as the target.`);
  }
  const names = Array.from({ length: count }, (_, i) => `column ${i + 1}`);
  const defaults = (csvColumns?.features ?? []).flatMap((feature, i) => {
    const value = csvColumns?.defaults?.[feature];
    return value === undefined ? [] : [[names[i], { default: value }] as const];
  });
  const rows = km.data.csv(csv.path, {
    delimiter: csv.delimiter,
    hasHeader: false,
    columnNames: names,
    ...(labeled ? { labelColumn: names[count - 1] } : {}),
    ...(defaults.length > 0 ? { columnConfigs: Object.fromEntries(defaults) } : {}),
  });
  return { rows, sampleShape: shape };
}

/** The model's features, for a message: `the model's 4 features`, or `the model's features (a multiple of 8 values)` when the data sizes them. */
function modelFeatures(sampleShape: SampleShape): string {
  const size = sampleSize(sampleShape);
  return size === null ? `the model's features (${describeSampleSize(sampleShape)})` : `the model's ${size} features`;
}

/** The columns a headerless file must have, for a message. */
function expectedColumns(sampleShape: SampleShape, labels: 'required' | 'optional'): string {
  const size = sampleSize(sampleShape);
  if (size === null) return `columns for ${modelFeatures(sampleShape)}${labels === 'required' ? ', then the target' : ''}`;
  return labels === 'required' ? `${size + 1} columns (${modelFeatures(sampleShape)}, then the target)` : `${size} columns (the model's features), or ${size + 1} with the target last`;
}

/** Evaluates `model` on a labeled CSV file, streamed in batches (labels one-hot encoded for a loss that takes one-hot rows); returns evaluate's values and the row count. */
export async function evaluateCsv(saved: SavedModel, csv: CsvInput, batchSize: number, note: Note): Promise<{ values: number[]; samples: number }> {
  const { model } = saved;
  const { rows, hasHeader, sampleShape } = await openCsv(csv, saved, '--data', 'required', note);
  if ((await forCommand('evaluating', () => rows.take(1).toArray())).length === 0) throw new Error(`--data ${csv.path} has a header but no rows: there is nothing to evaluate.`);
  // The loss checks labels per batch, by index in the batch; checked per row, an error names the file line.
  const classes = labelClassCount(model);
  let row = 0;
  const checked = rows.map(async (element) => {
    if (classes > 1) await checkClassLabel(element.ys, row, classes, '--data', csv.path, hasHeader);
    row++;
    return element;
  });
  let samples = 0;
  const batches = checked.batch(batchSize).map(({ xs, ys }) => {
    samples += xs.shape[0];
    return { xs: xs.reshape([xs.shape[0], ...sampleShape]), ys: targetsFor(model, ys) };
  });
  const values = await forCommand('evaluating', () => model.evaluate(batches, { verbose: 0 }));
  return { values, samples };
}

/** Reads every row of a CSV file as one sample, with its label when the file has the label column. */
export async function readCsvSamples(saved: SavedModel, csv: CsvInput, note: Note): Promise<{ x: km.Tensor; labels: number[] | null }> {
  const opened = await openCsv(csv, saved, '--input', 'optional', note);
  const rows = await forCommand('predicting', () => opened.rows.toArray());
  if (rows.length === 0) throw new Error(`--input ${csv.path} has a header but no rows: there is nothing to predict.`);
  const size = rows[0].xs.length;
  const x = new Float32Array(rows.length * size);
  rows.forEach((row, i) => x.set(row.xs, i * size));
  // As written in the file, not rounded to float32: a regressor's targets print as they were given.
  const labels = rows[0].ys === undefined ? null : rows.map((row) => row.ys!);
  return { x: km.tensor(x, [rows.length, ...opened.sampleShape]), labels };
}

/** Runs `read`, with the CLI's advice for `verb` in place of the CSV reader's for a text or an empty cell. */
async function forCommand<T>(verb: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    // The CLI's evaluate and predict take no defaults for empty cells beyond those training recorded in the model.
    throw withCliCellAdvice(err, verb);
  }
}
