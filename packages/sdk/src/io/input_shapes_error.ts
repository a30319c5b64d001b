/**
 * Why `loadLayersModel` refused to build a model from its saved input shapes:
 * `'unknownDimensions'`: an input keeps an unknown dimension (Keras' None) that `inputShapes` does not size;
 * `'unknownInput'`: `inputShapes` names an input the model does not have;
 * `'shapeMismatch'`: a shape in `inputShapes` has the wrong rank, a size that is not a positive
 * integer, or disagrees with a saved size.
 */
export type InputShapesProblem = 'unknownDimensions' | 'unknownInput' | 'shapeMismatch';

/** One input of a saved model, as its file gives it. */
export interface SavedInputShape {
  /** The name `inputShapes` keys it by. */
  name: string;
  /** Its batch shape as saved, batch axis first; null for an unknown dimension; undefined when the file gives none. */
  batchShape: readonly (number | null)[] | undefined;
}

/**
 * Thrown by `loadLayersModel` for a model saved with unknown input dimensions (a text model over
 * sequences of any length) that `inputShapes` does not size, or for an `inputShapes` that does not
 * fit the saved inputs. Its message advises `loadLayersModel`'s option; a program that loads
 * models for its users, and takes the shapes some other way, can word its own advice from the fields.
 *
 * @example
 * ```ts
 * try {
 *   await km.loadLayersModel('file://text_model');
 * } catch (err) {
 *   if (err instanceof km.io.InputShapesError && err.kind === 'unknownDimensions') {
 *     console.error(`Give the sequence length of input '${err.names[0]}': --maxlen N`);
 *   } else throw err;
 * }
 * ```
 */
export class InputShapesError extends Error {
  /** What is wrong. */
  readonly kind: InputShapesProblem;
  /**
   * The input names the error is about: for `'unknownDimensions'` and `'shapeMismatch'` the input
   * to size; for `'unknownInput'` the names in `inputShapes` that no input has.
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
