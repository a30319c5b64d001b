/**
 * Why `loadLayersModel` refused its `inputShapes` option:
 * `'unknownInput'`: `inputShapes` names an input the model does not have;
 * `'shapeMismatch'`: a shape in `inputShapes` has the wrong rank, a size that is not a positive
 * integer, or disagrees with a saved size.
 */
export type InputShapesProblem = 'unknownInput' | 'shapeMismatch';

/** One input of a saved model, as its file gives it. */
export interface SavedInputShape {
  /** The name `inputShapes` keys it by. */
  name: string;
  /** Its batch shape as saved, batch axis first; null for an unknown dimension; undefined when the file gives none. */
  batchShape: readonly (number | null)[] | undefined;
}

/**
 * Thrown by `loadLayersModel` for an `inputShapes` option that does not fit the saved inputs. Its
 * message names the option; a program that takes the shapes some other way (a CLI flag) can word
 * its own advice from the fields.
 *
 * @example
 * ```ts
 * try {
 *   await km.loadLayersModel('file://text_model', { inputShapes: { tokens: [maxlen] } });
 * } catch (err) {
 *   if (err instanceof km.io.InputShapesError && err.kind === 'shapeMismatch') {
 *     console.error(`--maxlen does not fit input '${err.names[0]}'`);
 *   } else throw err;
 * }
 * ```
 */
export class InputShapesError extends Error {
  /** What is wrong. */
  readonly kind: InputShapesProblem;
  /**
   * The input names the error is about: for `'shapeMismatch'` the input whose shape does not fit;
   * for `'unknownInput'` the names in `inputShapes` that no input has.
   */
  readonly names: readonly string[];
  /** Every input of the saved model (the top-level model's), in order. */
  readonly inputs: readonly SavedInputShape[];

  constructor(details: Pick<InputShapesError, 'kind' | 'names' | 'inputs'>, message: string) {
    super(message);
    this.name = 'InputShapesError';
    this.kind = details.kind;
    this.names = details.names;
    this.inputs = details.inputs;
  }
}
