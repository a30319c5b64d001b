import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as km from '@kerasm/sdk';
import type { TrainOptions } from '../args.js';
import { useBackend } from '../backend_choice.js';
import { parseExperiment, type ExperimentConfig } from '../experiment_config.js';
import { buildModel } from '../models.js';
import { formatJsonReport, formatTestResult, namedResults, toEpochRecord, type EpochRecord } from '../output.js';
import { at, backupCallback, makeCallbacks, makeOptimizer, makeSchedule, makeSequential, saveTrained, stepsOfRun, tensorBoardCallbacks } from '../training_setup.js';
import { backupResume, formatBackupResume } from '../backup_resume.js';
import { targetsFor } from '../class_targets.js';
import { checkCsvColumns, countCheckedRows } from '../config_csv.js';
import { checkLossTakesLabels, checkMonitors } from '../config_fit_checks.js';
import { recordCsvColumns, type CsvColumns } from '../csv_columns.js';
import { UsageError } from '../errors.js';
import { withJsonStdout } from '../json_stdout.js';
import { checkWritableFile } from '../output_folder.js';

/** The training data; `samples` is how many the model trains on per epoch. */
type FitData =
  | { kind: 'tensors'; x: km.Tensor; y: km.Tensor; samples: number }
  | { kind: 'dataset'; train: km.data.Dataset<unknown>; validation?: km.data.Dataset<unknown>; samples: number; columns: CsvColumns };
interface Evaluation {
  on: 'test' | 'validation' | 'train';
  run: (model: km.LayersModel) => Promise<number[]>;
}

/** `kerasm train --config FILE.json`: the whole experiment (data, model, compile, fit) from one file. */
export async function runExperiment(options: TrainOptions & { config: string }): Promise<void> {
  let text: string;
  try {
    text = await readFile(options.config, 'utf8');
  } catch (err) {
    throw new Error(`Could not read the config file ${options.config}: ${(err as Error).message}. Check the path.`, { cause: err });
  }
  const config = parseExperiment(text, options.config, (p) => resolve(dirname(options.config), p));
  for (const { type, args, path } of config.fit.callbacks) {
    if (type === 'csvLogger') await checkWritableFile(args.filename as string, `${options.config}: ${path}.filename`);
  }
  await withJsonStdout(options.json, () => train(config, options, options.config));
}

/** Compiles the config's model; a learning-rate schedule over the whole run decays over `runSteps`. */
function compileModel(model: km.LayersModel, config: ExperimentConfig, file: string, runSteps: number): void {
  const { optimizer, optimizerArgs, schedule } = config.compile;
  const args = { ...optimizerArgs };
  if (schedule) args.learningRate = makeSchedule(schedule, 0.001, `${file}: compile.optimizer.learningRate`, runSteps);
  const made = makeOptimizer(optimizer, args, `${file}: compile.optimizer`);
  at(`${file}: compile`, () => model.compile({ optimizer: made, loss: config.compile.loss, metrics: config.compile.metrics }));
}

/** The training data and what the final evaluation runs on: the test set, else the validation split, else the training data. */
async function loadData(config: ExperimentConfig, model: km.LayersModel, file: string): Promise<[FitData, Evaluation]> {
  const { batchSize, validationSplit } = config.fit;
  if (config.data.source === 'mnist') {
    const { train, test } = await km.datasets.mnist.load();
    // Keras (and TensorFlow.js) train on the first floor(n * (1 - split)) samples.
    const samples = Math.floor(train.x.shape[0] * (1 - validationSplit));
    return [{ kind: 'tensors', x: train.x, y: targetsFor(model, train.y), samples }, { on: 'test', run: (m) => m.evaluate(test.x, targetsFor(m, test.y), { batchSize: 64, verbose: 0 }) }];
  }
  const features = await checkCsvColumns(config, config.data, model, file);
  const { path, labelColumn, delimiter, shuffleBuffer, testPath, columnConfigs } = config.data;
  const read = (csvPath: string) => km.data.csv(csvPath, { labelColumn, delimiter, ...(columnConfigs ? { columnConfigs } : {}) });
  // Batches of rows, with the labels as the loss takes them (one-hot rows for categoricalCrossentropy).
  const batched = (rows: km.data.Dataset<km.data.CsvElement>) => rows.batch(batchSize).map(({ xs, ys }) => ({ xs, ys: targetsFor(model, ys) }));
  const rows = read(path);
  // Keras holds out the last samples before shuffling; a dataset has to be counted to find them.
  const n = await countCheckedRows(rows, model, 'data.path', path, file);
  // The test file is read after training: checked now, a bad row cannot waste the run.
  if (testPath) await countCheckedRows(read(testPath), model, 'data.testPath', testPath, file);
  const cut = Math.floor(n * (1 - validationSplit));
  if (cut === 0) {
    throw new UsageError(`${file}: fit.validationSplit is ${validationSplit}, which holds out all ${n} rows of data.path ${path}, leaving none to train on. Lower fit.validationSplit, e.g. to 0.2.`, 'kerasm train --help');
  }
  const train = batched(rows.take(cut).shuffle(shuffleBuffer, config.seed)).prefetch(2);
  const validation = cut < n ? batched(rows.skip(cut)) : undefined;
  const evaluation: Evaluation = testPath
    ? { on: 'test', run: (m) => m.evaluate(batched(read(testPath)), { verbose: 0 }) }
    : validation
      ? { on: 'validation', run: (m) => m.evaluate(validation, { verbose: 0 }) }
      : { on: 'train', run: (m) => m.evaluate(batched(rows), { verbose: 0 }) };
  const columns: CsvColumns = { features, label: labelColumn };
  if (columnConfigs) columns.defaults = Object.fromEntries(Object.entries(columnConfigs).map(([column, config]) => [column, config.default]));
  return [{ kind: 'dataset', train, validation, samples: cut, columns }, evaluation];
}

async function train(config: ExperimentConfig, options: TrainOptions, file: string): Promise<void> {
  const { kernels: backend, threads } = await useBackend(options);
  km.utils.setRandomSeed(config.seed);
  const model = 'named' in config.model ? buildModel(config.model.named, config.model.units) : makeSequential(config.model.layers, file);
  const { epochs: epochCount, batchSize, validationSplit } = config.fit;
  // The data checks read the compiled loss, and only checking counts the rows: a schedule over the
  // whole run is first made for a placeholder 1 step, then again once the run's steps are known.
  compileModel(model, config, file, 1);
  checkLossTakesLabels(config, model, file);
  const [data, evaluation] = await loadData(config, model, file);
  const configured = makeCallbacks(config.fit.callbacks, file);
  checkMonitors(config.fit.callbacks, configured, model, data.kind === 'tensors' ? validationSplit > 0 : data.validation !== undefined, file);
  if (config.compile.schedule?.overRun) compileModel(model, config, file, stepsOfRun(epochCount, data.samples, batchSize));

  const epochs: EpochRecord[] = [];
  let epochStart = 0;
  const backup = backupCallback(options.backupDir);
  const callbacks: km.CustomCallbackArgs[] = [
    ...configured,
    ...(backup ? [backup] : []),
    ...tensorBoardCallbacks(options.tensorboard),
    {
      onEpochBegin: () => void (epochStart = performance.now()),
      onEpochEnd: (epoch, logs) => void epochs.push(toEpochRecord(epoch, logs ?? {}, (performance.now() - epochStart) / 1000)),
    },
  ];
  if (data.kind === 'tensors') {
    await model.fit(data.x, data.y, { epochs: epochCount, batchSize, validationSplit, verbose: options.verbose, seed: config.seed, callbacks });
  } else {
    await model.fit(data.train, { epochs: epochCount, validationData: data.validation, verbose: options.verbose, callbacks });
  }

  const test = namedResults(model.metricsNames, await evaluation.run(model));
  // predict and evaluate then match a CSV's columns by name, not only by position.
  if (data.kind === 'dataset') recordCsvColumns(model, data.columns);
  await saveTrained(model, options);
  const resumedFrom = backupResume(backup);
  const report = { epochs, test, trainSamples: data.samples, backend, threads, evaluatedOn: evaluation.on, resumedFrom };
  if (options.json) {
    process.stdout.write(`${formatJsonReport(report)}\n`);
    return;
  }
  if (resumedFrom) console.log(formatBackupResume(resumedFrom, epochCount, `fit.epochs in ${file}`));
  console.log(`Evaluated on the ${evaluation.on} data:`);
  console.log(formatTestResult(report.test).replace(/Test /g, ''));
}
