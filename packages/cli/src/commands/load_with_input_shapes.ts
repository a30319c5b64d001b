import * as km from '@kerasm/sdk';
import { didYouMean } from '../did_you_mean.js';
import { UsageError } from '../errors.js';
import type { InputShapeFlag } from '../input_shape_flag.js';

type SavedInput = km.io.SavedInputShape;

/**
 * `km.loadLayersModel(dir)` with `--input-shape`'s sample shapes as its `inputShapes`: they fix an
 * input's unknown dimensions (Keras' None) to a size; without the flag those take each call's data
 * size. The SDK's refusals of the shapes (a name no input has, a shape that does not fit) become
 * usage errors that name the flag, not the SDK option. A shape without a name is the model's only
 * input's.
 */
export async function loadWithInputShapes(dir: string, flags: readonly InputShapeFlag[], helpCommand: string): Promise<km.LayersModel> {
  const unnamed = flags.find((f) => f.name === undefined);
  try {
    if (unnamed !== undefined) return await loadWithUnnamedShape(dir, unnamed, helpCommand);
    return await km.loadLayersModel(dir, flags.length === 0 ? {} : { inputShapes: Object.fromEntries(flags.map((f) => [f.name!, f.dims])) });
  } catch (err) {
    if (!(err instanceof km.io.InputShapesError)) throw err;
    throw new UsageError(flagMessage(err, dir, flags), helpCommand);
  }
}

/** Loads with `flag`'s shape for the only input, keyed by its name as a first load gives it; the SDK checks that the shape fits. */
async function loadWithUnnamedShape(dir: string, flag: InputShapeFlag, helpCommand: string): Promise<km.LayersModel> {
  const model = await km.loadLayersModel(dir);
  if (model.inputs.length !== 1) throw severalInputs(dir, flag, model.inputNames, helpCommand);
  return km.loadLayersModel(dir, { inputShapes: { [model.inputNames[0]]: flag.dims } });
}

function severalInputs(dir: string, flag: InputShapeFlag, names: readonly string[], helpCommand: string): UsageError {
  return new UsageError(
    `--input-shape ${flag.raw} has no input name, but the model in ${dir} has ${names.length} inputs (${quoted(names)}). Name the input each shape is for: --input-shape ${names[0]}=${flag.dims.join(',')}.`,
    helpCommand,
  );
}

/** The SDK's refusal worded for `--input-shape`. */
function flagMessage(err: km.io.InputShapesError, dir: string, flags: readonly InputShapeFlag[]): string {
  const names = err.inputs.map((i) => i.name);
  if (err.kind === 'unknownInput') {
    const flag = flags.find((f) => f.name === err.names[0])!;
    return `Invalid value for --input-shape: received '${flag.raw}', but the model in ${dir} has no input '${flag.name}'${didYouMean(flag.name!, names)} Its inputs: ${quoted(names) || 'none'}.`;
  }
  const input = err.inputs.find((i) => i.name === err.names[0])!;
  const flag = flags.find((f) => f.name === input.name) ?? flags.find((f) => f.name === undefined);
  return flag === undefined ? err.message : mismatch(flag, input);
}

function mismatch(flag: InputShapeFlag, input: SavedInput): string {
  const rank = sampleShape(input).length;
  return (
    `Invalid value for --input-shape: received '${flag.raw}', but input '${input.name}' was saved with the shape ${keras(input.batchShape!)}: ` +
    `give ${rank} size${rank === 1 ? '' : 's'}, the one your data has for each unknown dimension (None) and the saved size for the others, e.g. '--input-shape ${flag.name === undefined ? '' : `${flag.name}=`}${example(input)}'.`
  );
}

function sampleShape(input: SavedInput): readonly (number | null)[] {
  return input.batchShape?.slice(1) ?? [];
}

/** The flag's sizes for `input`: 100 for each unknown dimension. */
function example(input: SavedInput): string {
  return sampleShape(input).map((d) => d ?? 100).join(',');
}

/** A batch shape as Keras prints it: `(None, None, 8)`. */
function keras(shape: readonly (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
