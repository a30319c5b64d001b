import { classesOf, float32Threshold, weightAt, type Metric, type MetricBatch, type SavedMetricForm } from './metric.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link meanIoU}. */
export interface MeanIoUArgs {
  /** The number of classes: the confusion matrix is numClasses × numClasses. */
  numClasses: number;
  /** A true class whose positions are left out (a "void" class such as 255 in segmentation maps). */
  ignoreClass?: number;
  /** Whether the targets are class indices (default true, as Keras); false takes the argmax of one-hot rows. */
  sparseYTrue?: boolean;
  /** Whether the outputs are class indices (default true, as Keras); false takes each row's argmax (a softmax output). */
  sparseYPred?: boolean;
  /** The class axis (only -1, the last axis, where kerasm's outputs keep their classes). */
  axis?: number;
  name?: string;
}

/** Options of {@link iou}. */
export interface IoUArgs extends MeanIoUArgs {
  /** The classes whose IoUs are averaged (one id for one class's IoU). */
  targetClassIds: readonly number[];
}

/** Options of {@link oneHotMeanIoU}: targets are one-hot rows. */
export type OneHotMeanIoUArgs = Omit<MeanIoUArgs, 'sparseYTrue'>;

/** Options of {@link oneHotIoU}: targets are one-hot rows. */
export type OneHotIoUArgs = Omit<IoUArgs, 'sparseYTrue'>;

/** Options of {@link binaryIoU}. */
export interface BinaryIoUArgs {
  /** Classes averaged: [0], [1] or [0, 1] (default). */
  targetClassIds?: readonly number[];
  /** An output ≥ threshold (compared in float32, as Keras) predicts class 1, below it class 0 (default 0.5). */
  threshold?: number;
  name?: string;
}

// Keras' backend epsilon, added to each denominator as Keras does.
const EPSILON = 1e-7;

/** How one side (targets or outputs) gives its class at each position. */
type ClassReader = (values: ArrayLike<number>, cols: number) => ArrayLike<number>;

/** Class indices as they are, truncated toward zero as Keras casts them to integers. */
const asIndices: ClassReader = (values) => Array.from(values, Math.trunc);

/** Each row's argmax over the last axis (the first of tied maxima). */
const rowArgmax: ClassReader = (values, cols) => {
  const out = new Int32Array(values.length / cols);
  for (let r = 0; r < out.length; r++) {
    for (let j = 1; j < cols; j++) if (values[r * cols + j] > values[r * cols + out[r]]) out[r] = j;
  }
  return out;
};

interface IoUCounting {
  readonly call: string;
  readonly name: string;
  readonly numClasses: number;
  readonly targetClassIds: readonly number[];
  readonly ignoreClass?: number;
  readonly truth: ClassReader;
  readonly predicted: ClassReader;
  /** How the metric reads each side, for the error when the two disagree in length. */
  readonly reads: string;
  readonly savedAs: SavedMetricForm;
}

/** Keras' _IoUBase: a confusion matrix (rows true, columns predicted) summed over the epoch, read as IoUs of the target classes. */
function iouMetric(spec: IoUCounting): Metric {
  const { name, numClasses } = spec;
  const matrix = new Float64Array(numClasses * numClasses);
  const checkedClass = (side: string, values: ArrayLike<number>, i: number): number => {
    const c = values[i];
    if (!(c >= 0 && c < numClasses)) {
      throw new Error(`Metric '${name}': the ${side} class at position ${i} of the batch is ${c}, outside [0, ${numClasses - 1}]. Pass numClasses above every class index (numClasses=${numClasses}), or ignoreClass for a void label.`);
    }
    return c;
  };
  return {
    name,
    savedAs: spec.savedAs,
    reset: () => matrix.fill(0),
    async update(b: MetricBatch) {
      const cols = classesOf(b);
      if (spec.truth === rowArgmax && b.labelTargets) {
        throw new Error(`Metric '${name}' takes the argmax of one-hot target rows (sparseYTrue false), but the loss takes integer labels. Use km.metrics.${spec.call === 'oneHotIoU' ? 'iou' : 'meanIoU'} (class-index targets) with sparseYPred: false, or a loss with one-hot targets such as 'categoricalCrossentropy'.`);
      }
      const [p, weights] = await Promise.all([b.hostOutputs(), b.hostWeights()]);
      const predicted = spec.predicted(p, cols);
      const truth = spec.truth(b.hostTargets, b.labelTargets ? 1 : cols);
      if (predicted.length !== truth.length) {
        throw new Error(`Metric '${name}' ${spec.reads}: ${predicted.length / b.batch} predicted and ${truth.length / b.batch} true classes per sample, which must match. For a softmax output pass sparseYPred: false (each row's argmax); for one-hot targets sparseYTrue: false (or km.metrics.oneHotMeanIoU).`);
      }
      const perWeight = weights ? truth.length / weights.length : 1;
      for (let i = 0; i < truth.length; i++) {
        const w = weightAt(weights, Math.floor(i / perWeight));
        if (w === 0 || truth[i] === spec.ignoreClass) continue;
        matrix[checkedClass('true', truth, i) * numClasses + checkedClass('predicted', predicted, i)] += w;
      }
    },
    result() {
      let sum = 0;
      let valid = 0;
      for (const j of spec.targetClassIds) {
        let predictedCount = 0;
        let trueCount = 0;
        for (let k = 0; k < numClasses; k++) {
          predictedCount += matrix[k * numClasses + j];
          trueCount += matrix[j * numClasses + k];
        }
        const tp = matrix[j * numClasses + j];
        const union = predictedCount + trueCount - tp;
        if (union > 1e-9) valid++;
        sum += tp / (union + EPSILON);
      }
      return sum / (valid + EPSILON);
    },
  };
}

function checkNumClasses(call: string, numClasses: unknown): number {
  if (numClasses === undefined) throw new Error(`${call}: numClasses is required: the number of classes the model predicts (the confusion matrix is numClasses × numClasses), e.g. km.metrics.${call}({ numClasses: 3${call.includes('ean') ? '' : ', targetClassIds: [0]'} }).`);
  if (!Number.isInteger(numClasses) || (numClasses as number) < 1) throw new Error(`${call}: numClasses must be a positive integer. Received: numClasses=${JSON.stringify(numClasses)}.`);
  return numClasses as number;
}

function checkTargetClassIds(call: string, ids: unknown, numClasses: number): readonly number[] {
  if (ids === undefined) throw new Error(`${call}: targetClassIds is required: the classes whose IoUs are averaged, e.g. targetClassIds: [0] for class 0's IoU. For every class use km.metrics.meanIoU.`);
  if (!Array.isArray(ids) || ids.length === 0) throw new Error(`${call}: targetClassIds must be a non-empty list of class indices. Received: targetClassIds=${JSON.stringify(ids)}.`);
  for (const id of ids) {
    if (!(Number.isInteger(id) && id >= 0 && id < numClasses)) throw new Error(`${call}: target class id ${JSON.stringify(id)} is out of range, which is [0, ${numClasses}). Received: targetClassIds=${JSON.stringify(ids)}.`);
  }
  return [...ids];
}

/** Checks the options the IoU family shares; returns the saved form of ignoreClass and axis. */
function checkShared(call: string, args: MeanIoUArgs): { ignoreClass: number | null; axis: number } {
  for (const key of ['sparseYTrue', 'sparseYPred'] as const) {
    if (args[key] !== undefined && typeof args[key] !== 'boolean') throw new Error(`${call}: ${key} must be true or false. Received: ${key}=${JSON.stringify(args[key])}.`);
  }
  if (args.ignoreClass !== undefined && !Number.isInteger(args.ignoreClass)) throw new Error(`${call}: ignoreClass must be an integer class id. Received: ignoreClass=${JSON.stringify(args.ignoreClass)}.`);
  if (args.axis !== undefined && args.axis !== -1) {
    throw new Error(`${call}: axis must be -1: kerasm's outputs keep their classes on the last axis. Received: axis=${JSON.stringify(args.axis)}. Move the class axis last (e.g. a channels-last model).`);
  }
  return { ignoreClass: args.ignoreClass ?? null, axis: -1 };
}

const MEAN_IOU_OPTIONS = optionNames<MeanIoUArgs>({ numClasses: true, ignoreClass: true, sparseYTrue: true, sparseYPred: true, axis: true, name: true });

function sideReaders(sparseYTrue: boolean, sparseYPred: boolean): Pick<IoUCounting, 'truth' | 'predicted' | 'reads'> {
  const how = (sparse: boolean, side: string) => (sparse ? `${side} as class indices (sparseY${side === 'outputs' ? 'Pred' : 'True'} true)` : `the argmax of each ${side} row`);
  return { truth: sparseYTrue ? asIndices : rowArgmax, predicted: sparseYPred ? asIndices : rowArgmax, reads: `reads ${how(sparseYPred, 'outputs')} and ${how(sparseYTrue, 'targets')}` };
}

function classIoU(call: string, className: string, defaultName: string, args: IoUArgs, allTargets: boolean): Metric {
  const numClasses = checkNumClasses(call, args.numClasses);
  const targetClassIds = allTargets ? Array.from({ length: numClasses }, (_, j) => j) : checkTargetClassIds(call, args.targetClassIds, numClasses);
  const shared = checkShared(call, args);
  const sparseYTrue = args.sparseYTrue ?? true;
  const sparseYPred = args.sparseYPred ?? true;
  const name = args.name ?? defaultName;
  const oneHot = className.startsWith('OneHot');
  const config = { name, numClasses, ...(allTargets ? {} : { targetClassIds }), ignoreClass: shared.ignoreClass, ...(oneHot ? {} : { sparseYTrue }), sparseYPred, axis: shared.axis };
  return iouMetric({ call, name, numClasses, targetClassIds, ignoreClass: args.ignoreClass, ...sideReaders(sparseYTrue, sparseYPred), savedAs: { className, config } });
}

/**
 * Intersection over union of the `targetClassIds` classes, averaged, over the epoch (Keras 3's IoU):
 * a confusion matrix of true against predicted classes summed across batches, then per class
 * TP / (TP + FP + FN); classes absent from both truth and prediction are left out of the mean.
 * Each position of a `[height, width, classes]` output counts once, masked positions not at all.
 *
 * @example
 * ```ts
 * // Integer label maps against a softmax output: the IoU of class 1.
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: [km.metrics.iou({ numClasses: 3, targetClassIds: [1], sparseYPred: false })] });
 * ```
 */
export function iou(args: IoUArgs): Metric {
  checkOptions(args, [...MEAN_IOU_OPTIONS, 'targetClassIds'], 'km.metrics.iou');
  return classIoU('iou', 'IoU', 'io_u', { ...args }, false);
}

/**
 * The mean IoU of every class over the epoch (Keras 3's MeanIoU; see {@link iou}). Keras' name,
 * `mean_io_u`, is the default key in logs.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: [km.metrics.meanIoU({ numClasses: 3, sparseYPred: false })] });
 * ```
 */
export function meanIoU(args: MeanIoUArgs): Metric {
  checkOptions(args, MEAN_IOU_OPTIONS, 'km.metrics.meanIoU');
  return classIoU('meanIoU', 'MeanIoU', 'mean_io_u', { ...args, targetClassIds: [] }, true);
}

/**
 * {@link iou} for one-hot target rows (Keras 3's OneHotIoU): both sides are each row's argmax,
 * unless `sparseYPred` says the outputs are class indices.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: [km.metrics.oneHotIoU({ numClasses: 3, targetClassIds: [0, 2] })] });
 * ```
 */
export function oneHotIoU(args: OneHotIoUArgs): Metric {
  checkOptions(args, [...MEAN_IOU_OPTIONS.filter((o) => o !== 'sparseYTrue'), 'targetClassIds'], 'km.metrics.oneHotIoU');
  return classIoU('oneHotIoU', 'OneHotIoU', 'one_hot_io_u', { ...args, sparseYTrue: false, sparseYPred: args?.sparseYPred ?? false }, false);
}

/**
 * {@link meanIoU} for one-hot target rows (Keras 3's OneHotMeanIoU).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: [km.metrics.oneHotMeanIoU({ numClasses: 3 })] });
 * ```
 */
export function oneHotMeanIoU(args: OneHotMeanIoUArgs): Metric {
  checkOptions(args, MEAN_IOU_OPTIONS.filter((o) => o !== 'sparseYTrue'), 'km.metrics.oneHotMeanIoU');
  return classIoU('oneHotMeanIoU', 'OneHotMeanIoU', 'one_hot_mean_io_u', { ...args, targetClassIds: [], sparseYTrue: false, sparseYPred: args?.sparseYPred ?? false }, true);
}

/**
 * The IoU of a binary output over the epoch (Keras 3's BinaryIoU): an output ≥ `threshold` predicts
 * class 1, and each 0/1 target is a class index; the IoUs of `targetClassIds` are averaged.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: [km.metrics.binaryIoU({ targetClassIds: [1], threshold: 0.4 })] });
 * ```
 */
export function binaryIoU(args: BinaryIoUArgs = {}): Metric {
  checkOptions(args, optionNames<BinaryIoUArgs>({ targetClassIds: true, threshold: true, name: true }), 'km.metrics.binaryIoU');
  const targetClassIds = checkTargetClassIds('binaryIoU', args.targetClassIds ?? [0, 1], 2);
  const threshold = args.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new Error(`binaryIoU: threshold must be a finite number. Received: threshold=${JSON.stringify(threshold)}.`);
  const name = args.name ?? 'binary_io_u';
  const atOrAbove = float32Threshold(threshold);
  const atThreshold: ClassReader = (values) => Array.from(values, (v) => (v >= atOrAbove ? 1 : 0));
  return iouMetric({
    call: 'binaryIoU', name, numClasses: 2, targetClassIds, truth: asIndices, predicted: atThreshold,
    reads: 'compares each output with its 0/1 target', savedAs: { className: 'BinaryIoU', config: { name, targetClassIds, threshold } },
  });
}
