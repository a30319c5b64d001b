import * as km from '@kerasm/sdk';
import type { TrainOptions } from '../args.js';
import { useBackend } from '../backend_choice.js';
import {
  formatJsonReport,
  formatPredictionTable,
  formatTestResult,
  formatTrainingHeader,
  formatTrainingSummary,
  toEpochRecord,
  type EpochRecord,
} from '../output.js';
import { buildModel, MODEL_DESCRIPTIONS } from '../models.js';
import { toPredictions } from '../predictions.js';
import { withJsonStdout } from '../json_stdout.js';
import { checkBackupFolder, checkWritableFolder } from '../output_folder.js';
import { backupCallback, makeOptimizer, makeSchedule, saveTrained, stepsOfRun, tensorBoardCallbacks } from '../training_setup.js';
import { backupResume, formatBackupResume, trainedNothing } from '../backup_resume.js';

const CLASSES = 10;
const PREVIEW_IMAGES = 10;

/**
 * `kerasm train`: fits the reference MNIST model and reports on the test set. The caller must
 * have set any V8 flags already, since `km.ready()` compiles the kernels.
 */
export async function runTrain(options: TrainOptions): Promise<void> {
  if (options.save !== undefined) await checkWritableFolder(options.save, '--save');
  if (options.backupDir !== undefined) {
    await checkWritableFolder(options.backupDir, '--backup-dir');
    await checkBackupFolder(options.backupDir, [['--save', options.save], ['--tensorboard', options.tensorboard]]);
  }
  if (options.tensorboard !== undefined) await checkWritableFolder(options.tensorboard, '--tensorboard');
  if (options.config !== undefined) {
    const { runExperiment } = await import('./train_config.js');
    return runExperiment({ ...options, config: options.config });
  }
  await withJsonStdout(options.json, () => train(options));
}

async function train(options: TrainOptions): Promise<void> {
  const { kernels: backend, threads } = await useBackend(options);
  km.utils.setRandomSeed(options.seed);

  const { train: trainSet, test } = await km.datasets.mnist.load();
  const model = buildModel(options.model, options.units);
  // Keras (and TensorFlow.js) train on the first floor(n * (1 - split)) samples.
  const trainSamples = Math.floor(trainSet.x.shape[0] * (1 - options.validationSplit));
  const runSteps = stepsOfRun(options.epochs, trainSamples, options.batchSize);
  model.compile({
    optimizer: makeOptimizer(options.optimizer, {
      learningRate: options.lrSchedule ? makeSchedule(options.lrSchedule, options.learningRate, '--lr-schedule', runSteps) : options.learningRate,
    }, '--optimizer'),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });

  if (!options.json) {
    console.log(formatTrainingHeader({ ...options, classes: CLASSES, trainSamples, backend, description: MODEL_DESCRIPTIONS[options.model] }));
  }

  const epochs: EpochRecord[] = [];
  let epochStart = 0;
  const backup = backupCallback(options.backupDir);
  await model.fit(trainSet.x, trainSet.y, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    validationSplit: options.validationSplit,
    shuffle: true,
    verbose: options.verbose,
    callbacks: [...(backup ? [backup] : []), ...tensorBoardCallbacks(options.tensorboard), ...earlyStopping(options), {
      onEpochBegin: () => {
        epochStart = performance.now();
      },
      onEpochEnd: (epoch: number, logs?: Record<string, number>) => {
        const seconds = (performance.now() - epochStart) / 1000;
        epochs.push(toEpochRecord(epoch, logs ?? {}, seconds));
      },
    }],
  });

  const [testLoss, testAccuracy] = await model.evaluate(test.x, test.y, { batchSize: 64, verbose: 0 });
  // `kerasm evaluate` reports the same accuracy from the saved model (quantized: within its error).
  await saveTrained(model, options);
  const resumedFrom = backupResume(backup);
  const report = { epochs, test: { loss: testLoss, accuracy: testAccuracy }, trainSamples, backend, threads, resumedFrom };
  if (options.json) {
    process.stdout.write(`${formatJsonReport(report)}\n`);
    return;
  }

  const probabilities = await model.predict(test.x.slice(0, PREVIEW_IMAGES)).data();
  const labels = test.y.slice(0, PREVIEW_IMAGES).dataSync();
  if (resumedFrom) console.log(formatBackupResume(resumedFrom, options.epochs, '--epochs'));
  if (!trainedNothing(resumedFrom, options.epochs)) console.log(formatTrainingSummary(report));
  console.log(formatTestResult(report.test));
  console.log(`\nPredictions for the first ${PREVIEW_IMAGES} test images:`);
  console.log(formatPredictionTable(toPredictions(probabilities, CLASSES, labels)));
}

/** `--early-stopping N`: Keras' EarlyStopping on val_loss when there is validation data (on loss otherwise), restoring the best weights. */
function earlyStopping(options: TrainOptions): km.callbacks.Callback[] {
  if (options.earlyStopping === undefined) return [];
  const monitor = options.validationSplit > 0 ? 'val_loss' : 'loss';
  return [km.callbacks.earlyStopping({ monitor, patience: options.earlyStopping, restoreBestWeights: true })];
}
