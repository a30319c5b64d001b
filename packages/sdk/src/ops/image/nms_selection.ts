// The greedy selection behind tfjs' nonMaxSuppression variants (tfjs-core's nonMaxSuppressionImpl_,
// which follows TensorFlow's NonMaxSuppressionV5 kernel), on plain arrays.

/** Boxes' [y1, x1, y2, x2] rows, flat, and one score per box. */
export interface NmsInput {
  readonly boxes: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  readonly maxOutputSize: number;
  readonly iouThreshold: number;
  readonly scoreThreshold: number;
  /** Soft-NMS' σ: 0 removes overlapping boxes; above 0 lowers their scores by exp(−iou²/(2σ)) instead. */
  readonly softNmsSigma: number;
}

interface Candidate {
  score: number;
  readonly box: number;
  /** How many of the selected boxes this candidate's score already accounts for. */
  suppressedBy: number;
}

/** The intersection over union of boxes i and j (corners in any order); 0 when either has no area. */
function intersectionOverUnion(boxes: ArrayLike<number>, i: number, j: number): number {
  const [ay1, ax1, ay2, ax2] = [boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]];
  const [by1, bx1, by2, bx2] = [boxes[4 * j], boxes[4 * j + 1], boxes[4 * j + 2], boxes[4 * j + 3]];
  const areaA = (Math.max(ay1, ay2) - Math.min(ay1, ay2)) * (Math.max(ax1, ax2) - Math.min(ax1, ax2));
  const areaB = (Math.max(by1, by2) - Math.min(by1, by2)) * (Math.max(bx1, bx2) - Math.min(bx1, bx2));
  if (areaA <= 0 || areaB <= 0) return 0;
  const height = Math.max(Math.min(Math.max(ay1, ay2), Math.max(by1, by2)) - Math.max(Math.min(ay1, ay2), Math.min(by1, by2)), 0);
  const width = Math.max(Math.min(Math.max(ax1, ax2), Math.max(bx1, bx2)) - Math.max(Math.min(ax1, ax2), Math.min(bx1, bx2)), 0);
  const intersection = height * width;
  return intersection / (areaA + areaB - intersection);
}

/** Higher scores first; among equal scores, the lower box index first. */
function comesFirst(a: Candidate, b: Candidate): boolean {
  return a.score > b.score || (a.score === b.score && a.box < b.box);
}

/** Inserts `c` into `queue` (kept in reverse selection order, so that the next candidate is last). */
function enqueue(queue: Candidate[], c: Candidate): void {
  let [low, high] = [0, queue.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (comesFirst(c, queue[mid])) low = mid + 1;
    else high = mid;
  }
  queue.splice(low, 0, c);
}

/**
 * The boxes selected, best first, and their (soft-NMS-lowered) scores: repeatedly the best
 * remaining box whose score is above `scoreThreshold` and whose IoU with every selected box is below
 * `iouThreshold`, until `maxOutputSize` are selected.
 */
export function selectBoxes(input: NmsInput): { indices: number[]; scores: number[] } {
  const { boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma } = input;
  const queue: Candidate[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > scoreThreshold) queue.push({ score: scores[i], box: i, suppressedBy: 0 });
  queue.sort((a, b) => (comesFirst(a, b) ? 1 : comesFirst(b, a) ? -1 : 0));
  const scale = softNmsSigma > 0 ? -0.5 / softNmsSigma : 0;
  const indices: number[] = [];
  const selectedScores: number[] = [];
  while (indices.length < maxOutputSize && queue.length > 0) {
    const c = queue.pop()!;
    const original = c.score;
    if (original < scoreThreshold) break;
    let overlaps = false;
    // Only the boxes selected since this candidate's score was last lowered can lower it further.
    for (let j = indices.length - 1; j >= c.suppressedBy; j--) {
      const iou = intersectionOverUnion(boxes, c.box, indices[j]);
      if (iou >= iouThreshold) {
        overlaps = true;
        break;
      }
      c.score *= iou <= iouThreshold ? Math.exp(scale * iou * iou) : 0;
      if (c.score <= scoreThreshold) break;
    }
    c.suppressedBy = indices.length;
    if (overlaps) continue;
    if (c.score === original) {
      indices.push(c.box);
      selectedScores.push(c.score);
    } else if (c.score > scoreThreshold) {
      enqueue(queue, c);
    }
  }
  return { indices, scores: selectedScores };
}
