import { Tensor } from '../tensor.js';
import { checkBooleanOption, checkNumberOption, checkOptions, optionNames } from './options.js';
import { beamSearchDecode } from './ctc_beam_search.js';

/** Options of {@link ctcDecode}, Keras 3's `ops.ctc_decode` arguments with its defaults. */
export interface CtcDecodeOptions {
  /** Steps to read of each sample (default: all of them); later steps are ignored. */
  sequenceLengths?: Tensor | readonly number[] | Int32Array;
  /** `'greedy'` (the best class at each step, default) or `'beam_search'` (the most probable label sequences). */
  strategy?: 'greedy' | 'beam_search';
  /** Prefixes kept at each step of the beam search (default 100). */
  beamWidth?: number;
  /** Label sequences returned per sample, best first (default 1; more need `'beam_search'`). */
  topPaths?: number;
  /** Greedy only: merge a class repeated at consecutive steps into one label (default true). */
  mergeRepeated?: boolean;
  /** The blank class (default 0, as Keras' CTC loss uses). */
  maskIndex?: number;
}

/** One sample's best label sequences with their scores. */
export interface DecodedPath {
  readonly labels: number[];
  readonly score: number;
}

function greedyDecode(logits: Float32Array, steps: number, classes: number, blank: number, mergeRepeated: boolean): DecodedPath {
  const labels: number[] = [];
  let sum = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[t * classes + c] > logits[t * classes + best]) best = c;
    sum += logits[t * classes + best];
    if (best !== blank && !(mergeRepeated && best === previous)) labels.push(best);
    previous = best;
  }
  return { labels, score: -sum };
}

function sequenceLengthsOf(given: CtcDecodeOptions['sequenceLengths'], batch: number, steps: number): ArrayLike<number> {
  if (given === undefined) return new Array<number>(batch).fill(steps);
  const lengths = given instanceof Tensor ? given.dataSync() : given;
  if (lengths.length !== batch || !Array.from(lengths).every((n) => Number.isInteger(n) && n >= 0 && n <= steps)) {
    throw new Error(`km.utils.ctcDecode: sequenceLengths must give one integer in [0, ${steps}] per sample (${batch} of them). Received: ${JSON.stringify(Array.from(lengths))}.`);
  }
  return lengths;
}

/**
 * Decodes CTC outputs into label sequences, like Keras 3's `keras.ops.ctc_decode`.
 *
 * `yPred` holds logits [batch, steps, classes], as a model trained with loss `'ctc'` outputs them.
 * Greedy takes the best class at each step, merges repeats (with `mergeRepeated`) and drops blanks;
 * its score is minus the sum of those best logits. Beam search keeps the `beamWidth` most probable
 * prefixes at each step under the softmax of the logits and scores each sequence by its log
 * probability. Returns `[decoded, scores]`: decoded int32 `[topPaths, batch, steps]`, each sequence
 * first and −1 after it; scores float32 `[batch, topPaths]`.
 * @example
 * ```ts
 * const [decoded] = km.utils.ctcDecode(model.predict(images) as km.Tensor);
 * const firstText = Array.from(decoded.dataSync().slice(0, steps)).filter((c) => c >= 0);
 * ```
 */
export function ctcDecode(yPred: Tensor, options: CtcDecodeOptions = {}): [Tensor<'int32'>, Tensor<'float32'>] {
  const where = 'km.utils.ctcDecode';
  checkOptions(options, optionNames<CtcDecodeOptions>({ sequenceLengths: true, strategy: true, beamWidth: true, topPaths: true, mergeRepeated: true, maskIndex: true }), where);
  if (!(yPred instanceof Tensor) || yPred.rank !== 3) {
    throw new Error(`${where} expects logits of shape [batch, steps, classes]. Received: ${yPred instanceof Tensor ? `shape [${yPred.shape.join(', ')}]` : typeof yPred}.`);
  }
  const [batch, steps, classes] = yPred.shape;
  const strategy = options.strategy ?? 'greedy';
  if (strategy !== 'greedy' && strategy !== 'beam_search') throw new Error(`${where}: strategy must be 'greedy' or 'beam_search'. Received: strategy=${JSON.stringify(strategy)}.`);
  const beamWidth = checkNumberOption(options.beamWidth ?? 100, 'beamWidth', where, (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
  const topPaths = checkNumberOption(options.topPaths ?? 1, 'topPaths', where, (v) => Number.isInteger(v) && v >= 1 && v <= beamWidth, `an integer from 1 to beamWidth (${beamWidth})`);
  if (topPaths > 1 && strategy === 'greedy') throw new Error(`${where}: topPaths=${topPaths} needs strategy 'beam_search'; greedy decoding finds one path per sample.`);
  const mergeRepeated = checkBooleanOption(options.mergeRepeated ?? true, 'mergeRepeated', where);
  const blank = checkNumberOption(options.maskIndex ?? 0, 'maskIndex', where, (v) => Number.isInteger(v) && v >= 0 && v < classes, `a class index from 0 to ${classes - 1}`);
  const lengths = sequenceLengthsOf(options.sequenceLengths, batch, steps);

  const values = yPred.dtype === 'float32' ? (yPred.dataSync() as Float32Array) : Float32Array.from(yPred.dataSync());
  const decoded = new Int32Array(topPaths * batch * steps).fill(-1);
  const scores = new Float32Array(batch * topPaths).fill(-Infinity);
  for (let b = 0; b < batch; b++) {
    const logits = values.subarray(b * steps * classes, (b + 1) * steps * classes);
    const paths = strategy === 'greedy' ? [greedyDecode(logits, lengths[b], classes, blank, mergeRepeated)] : beamSearchDecode(logits, lengths[b], classes, blank, beamWidth, topPaths);
    paths.forEach((path, k) => {
      decoded.set(path.labels, (k * batch + b) * steps);
      scores[b * topPaths + k] = path.score;
    });
  }
  return [new Tensor(decoded, [topPaths, batch, steps], 'int32'), new Tensor(scores, [batch, topPaths], 'float32')];
}
