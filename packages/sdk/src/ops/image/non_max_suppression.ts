// tfjs' nonMaxSuppression family: the boxes to keep among overlapping detections, by score.
import { Tensor, type TensorLike } from '../../tensor.js';
import { hostValues, operand } from '../operand.js';
import { selectBoxes, type NmsInput } from './nms_selection.js';

interface Operands {
  readonly boxes: Tensor;
  readonly scores: Tensor;
  readonly settings: Omit<NmsInput, 'boxes' | 'scores'>;
}

function parse(fn: string, boxes: Tensor | TensorLike, scores: Tensor | TensorLike, maxOutputSize: number, iouThreshold: number, scoreThreshold: number, softNmsSigma: number): Operands {
  const b = operand(fn, 'boxes', boxes);
  const s = operand(fn, 'scores', scores);
  if (b.rank !== 2 || b.shape[1] !== 4) throw new Error(`${fn}: boxes must be [numBoxes, 4], one [y1, x1, y2, x2] row per box. Received: boxes.shape=[${b.shape.join(', ')}].`);
  if (s.rank !== 1 || s.shape[0] !== b.shape[0]) throw new Error(`${fn}: scores must be [numBoxes] = [${b.shape[0]}], one score per box. Received: scores.shape=[${s.shape.join(', ')}].`);
  if (!Number.isInteger(maxOutputSize) || maxOutputSize < 0) throw new Error(`${fn}: maxOutputSize must be a non-negative integer, the most boxes to select. Received: maxOutputSize=${JSON.stringify(maxOutputSize)}.`);
  if (typeof iouThreshold !== 'number' || !(iouThreshold >= 0 && iouThreshold <= 1)) throw new Error(`${fn}: iouThreshold must be a number in [0, 1] (the overlap above which a box is suppressed), e.g. 0.5. Received: iouThreshold=${JSON.stringify(iouThreshold)}.`);
  if (typeof scoreThreshold !== 'number' || Number.isNaN(scoreThreshold)) throw new Error(`${fn}: scoreThreshold must be a number (boxes scoring at or below it are dropped), e.g. -Infinity for none. Received: scoreThreshold=${JSON.stringify(scoreThreshold)}.`);
  if (typeof softNmsSigma !== 'number' || !(softNmsSigma >= 0 && softNmsSigma <= 1)) throw new Error(`${fn}: softNmsSigma must be a number in [0, 1] (0 for plain NMS). Received: softNmsSigma=${JSON.stringify(softNmsSigma)}.`);
  return { boxes: b, scores: s, settings: { maxOutputSize: Math.min(maxOutputSize, b.shape[0]), iouThreshold, scoreThreshold, softNmsSigma } };
}

function select(fn: string, o: Operands, boxes: ArrayLike<number> = hostValues(fn, o.boxes), scores: ArrayLike<number> = hostValues(fn, o.scores)) {
  return selectBoxes({ boxes, scores, ...o.settings });
}

async function selectAsync(fn: string, o: Operands) {
  const [boxes, scores] = await Promise.all([o.boxes.data(), o.scores.data()]);
  return select(fn, o, boxes, scores);
}

const indicesTensor = (indices: number[]) => new Tensor(Int32Array.from(indices), [indices.length], 'int32');

/** The selection padded with index 0 to `size`, and the count before padding. */
function padded(indices: number[], size: number, pad: boolean): { selectedIndices: Tensor<'int32'>; validOutputs: Tensor<'int32'> } {
  const valid = indices.length;
  const all = pad && valid < size ? [...indices, ...new Array<number>(size - valid).fill(0)] : indices;
  return { selectedIndices: indicesTensor(all), validOutputs: new Tensor(Int32Array.of(valid), [], 'int32') };
}

/**
 * The indices (int32, best first) of the boxes to keep among `boxes` (`[numBoxes, 4]`, rows
 * [y1, x1, y2, x2] with the corners in either order) scored by `scores` (`[numBoxes]`), as
 * `tf.image.nonMaxSuppression`: greedily the highest-scoring box (the lower index on a tie) whose
 * IoU with every box kept is below `iouThreshold` (default 0.5), skipping scores at or below
 * `scoreThreshold`, at most `maxOutputSize` boxes.
 * @example `km.image.nonMaxSuppression(boxes, scores, 10, 0.5, 0.3)`
 */
export function nonMaxSuppression(boxes: Tensor | TensorLike, scores: Tensor | TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY): Tensor<'int32'> {
  const fn = 'km.image.nonMaxSuppression()';
  return indicesTensor(select(fn, parse(fn, boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0)).indices);
}

/** {@link nonMaxSuppression}, reading the tensors with `await t.data()`, as `tf.image.nonMaxSuppressionAsync`. @example `await km.image.nonMaxSuppressionAsync(boxes, scores, 10)` */
export async function nonMaxSuppressionAsync(boxes: Tensor | TensorLike, scores: Tensor | TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY): Promise<Tensor<'int32'>> {
  const fn = 'km.image.nonMaxSuppressionAsync()';
  return indicesTensor((await selectAsync(fn, parse(fn, boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0))).indices);
}

/**
 * {@link nonMaxSuppression} with Soft-NMS, as `tf.image.nonMaxSuppressionWithScore`: with
 * `softNmsSigma` σ in (0, 1] an overlapping box's score is multiplied by exp(−iou²/(2σ)) instead of
 * the box being dropped (σ = 0, the default, is plain NMS). Returns the indices and the scores
 * they were selected with (float32).
 * @example `const { selectedIndices, selectedScores } = km.image.nonMaxSuppressionWithScore(boxes, scores, 10, 0.5, 0, 0.5)`
 */
export function nonMaxSuppressionWithScore(boxes: Tensor | TensorLike, scores: Tensor | TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, softNmsSigma = 0): { selectedIndices: Tensor<'int32'>; selectedScores: Tensor<'float32'> } {
  const fn = 'km.image.nonMaxSuppressionWithScore()';
  const picked = select(fn, parse(fn, boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma));
  return { selectedIndices: indicesTensor(picked.indices), selectedScores: new Tensor(Float32Array.from(picked.scores), [picked.scores.length], 'float32') };
}

/** {@link nonMaxSuppressionWithScore}, reading the tensors with `await t.data()`, as `tf.image.nonMaxSuppressionWithScoreAsync`. @example `await km.image.nonMaxSuppressionWithScoreAsync(boxes, scores, 10, 0.5, 0, 0.5)` */
export async function nonMaxSuppressionWithScoreAsync(boxes: Tensor | TensorLike, scores: Tensor | TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, softNmsSigma = 0): Promise<{ selectedIndices: Tensor<'int32'>; selectedScores: Tensor<'float32'> }> {
  const fn = 'km.image.nonMaxSuppressionWithScoreAsync()';
  const picked = await selectAsync(fn, parse(fn, boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma));
  return { selectedIndices: indicesTensor(picked.indices), selectedScores: new Tensor(Float32Array.from(picked.scores), [picked.scores.length], 'float32') };
}

/**
 * {@link nonMaxSuppression} with a fixed-size result when `padToMaxOutputSize`, as
 * `tf.image.nonMaxSuppressionPadded`: selectedIndices padded with 0s to min(maxOutputSize,
 * numBoxes), and validOutputs (an int32 scalar) the number selected before padding.
 * @example `const { selectedIndices, validOutputs } = km.image.nonMaxSuppressionPadded(boxes, scores, 10, 0.5, 0, true)`
 */
export function nonMaxSuppressionPadded(boxes: Tensor | TensorLike, scores: Tensor | TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, padToMaxOutputSize = false): { selectedIndices: Tensor<'int32'>; validOutputs: Tensor<'int32'> } {
  const fn = 'km.image.nonMaxSuppressionPadded()';
  const o = parse(fn, boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0);
  return padded(select(fn, o).indices, o.settings.maxOutputSize, padToMaxOutputSize);
}

/** {@link nonMaxSuppressionPadded}, reading the tensors with `await t.data()`, as `tf.image.nonMaxSuppressionPaddedAsync`. @example `await km.image.nonMaxSuppressionPaddedAsync(boxes, scores, 10, 0.5, 0, true)` */
export async function nonMaxSuppressionPaddedAsync(boxes: Tensor | TensorLike, scores: Tensor | TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, padToMaxOutputSize = false): Promise<{ selectedIndices: Tensor<'int32'>; validOutputs: Tensor<'int32'> }> {
  const fn = 'km.image.nonMaxSuppressionPaddedAsync()';
  const o = parse(fn, boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0);
  return padded((await selectAsync(fn, o)).indices, o.settings.maxOutputSize, padToMaxOutputSize);
}
