import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as km from '@kerasm/sdk';
import { labelClassCount } from './class_targets.js';
import { checkClassLabel, likelyDelimiter, withCliCellAdvice } from './csv_checks.js';
import { didYouMean } from './did_you_mean.js';
import { UsageError } from './errors.js';
import type { DataSpec, ExperimentConfig } from './experiment_config.js';
import { dataSampleShape, describeSampleSize } from './sample_shape.js';

type CsvData = Extract<DataSpec, { source: 'csv' }>;

const TRAIN_HELP = 'kerasm train --help';

/**
 * Checks a config's CSV files against its model before training: each file exists, has the label
 * column, and has as many feature columns as one sample of the model holds, the test file the same
 * ones as the training file in the same order. Errors name `file` and the setting to change (exit
 * 2). Returns `data.path`'s feature columns, in file order.
 */
export async function checkCsvColumns(config: ExperimentConfig, data: CsvData, model: km.LayersModel, file: string): Promise<string[]> {
  const files: [string, string][] = [['data.path', data.path]];
  let trainFeatures: string[] = [];
  if (data.testPath !== undefined) files.push(['data.testPath', data.testPath]);
  for (const [key, path] of files) {
    await checkIsFile(path, key, file);
    let columns: string[];
    try {
      columns = await km.data.csv(path, { delimiter: data.delimiter }).columnNames();
    } catch (err) {
      throw new UsageError(`${file}: ${key}: ${(err as Error).message}`, TRAIN_HELP);
    }
    const delimiter = likelyDelimiter(columns, data.delimiter);
    if (delimiter !== undefined) {
      throw new UsageError(`${file}: ${key} ${path} reads as one column, '${columns[0]}', with the delimiter ${JSON.stringify(data.delimiter)}; its header looks separated by ${JSON.stringify(delimiter)}. Set "delimiter": ${JSON.stringify(delimiter)} in data.`, TRAIN_HELP);
    }
    for (const column of Object.keys(data.columnConfigs ?? {})) {
      if (columns.includes(column)) continue;
      throw new UsageError(`${file}: data.columnConfigs names "${column}", but ${key} ${path} has no such column${didYouMean(column, columns, (c) => `"${c}"`)} Its columns are: ${columns.join(', ')}.`, TRAIN_HELP);
    }
    if (!columns.includes(data.labelColumn)) {
      throw new UsageError(`${file}: data.labelColumn is "${data.labelColumn}", but ${key} ${path} has no such column. Its columns are: ${columns.join(', ')}. Set data.labelColumn to the one holding the targets.`, TRAIN_HELP);
    }
    const shape = model.inputShape;
    const features = columns.filter((c) => c !== data.labelColumn);
    if (shape !== undefined && dataSampleShape(shape, features.length) === undefined) {
      const fix = 'named' in config.model ? `"${config.model.named}" is an MNIST network; describe a model for these columns as a list of layers` : `Set model[0].inputShape to [${features.length}]`;
      throw new UsageError(
        `${file}: the model takes samples of shape [${shape.join(', ')}] (${describeSampleSize(shape)}), but ${key} ${path} has ${features.length} feature columns (${features.join(', ')}). ${fix}.`,
        TRAIN_HELP,
      );
    }
    if (key === 'data.path') trainFeatures = features;
    else if (features.join('\0') !== trainFeatures.join('\0')) {
      // Training and its final evaluation read features by position, so both files must agree.
      throw new UsageError(
        `${file}: ${key} ${path} has the feature columns ${features.join(', ')}, but data.path ${data.path} has ${trainFeatures.join(', ')}. Give ${key} the same columns in the same order.`,
        TRAIN_HELP,
      );
    }
  }
  return trainFeatures;
}

/** Throws, naming the config's folder, when the file `key` names is missing or a folder: its path was resolved from there, not from the working directory. */
async function checkIsFile(path: string, key: string, file: string): Promise<void> {
  const found = await stat(path).catch((err: NodeJS.ErrnoException) => err.code);
  const problem = found === 'ENOENT' ? `no file at ${path}` : typeof found === 'object' && found.isDirectory() ? `${path} is a folder, not a CSV file` : undefined;
  if (problem !== undefined) {
    throw new UsageError(`${file}: ${key}: ${problem}. Relative paths in a config start from its folder, ${dirname(resolve(file))}; correct ${key}.`, TRAIN_HELP);
  }
}

/**
 * Counts a CSV dataset's rows and, for a model whose loss takes class labels (sparse categorical
 * cross-entropy, or a loss whose one-hot rows are made from them), checks each label is one of its classes: done before training, in the pass that counts the rows,
 * so a bad label or an empty cell stops the run before the first epoch and is reported by its file
 * line. `key` is the setting that names the file (`data.path`, `data.testPath`).
 */
export async function countCheckedRows(rows: km.data.CsvDataset, model: km.LayersModel, key: string, path: string, file: string): Promise<number> {
  const classes = labelClassCount(model);
  let n = 0;
  try {
    for await (const row of rows) {
      if (classes > 1) await checkClassLabel(row.ys, n, classes, key, path).catch((err: Error) => Promise.reject(new UsageError(`${file}: ${err.message}`, TRAIN_HELP)));
      n++;
    }
  } catch (err) {
    // A config gives the default in data.columnConfigs, and reads no text columns.
    throw withCliCellAdvice(err, 'training', file);
  }
  return n;
}
