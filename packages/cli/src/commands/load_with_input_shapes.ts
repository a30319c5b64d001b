import * as km from '@kerasm/sdk';
import { didYouMean } from '../did_you_mean.js';
import { UsageError } from '../errors.js';
import type { InputShapeFlag } from '../input_shape_flag.js';

type SavedInput = km.io.SavedInputShape;

/**
 * `km.loadLayersModel(dir)` with `--input-shape`'s sample shapes as its `inputShapes`. The SDK's
 * refusals over input shapes (an input saved with unknown dimensions and no flag for it, a name no
 * input has, a shape that does not fit) become usage errors that name the flag, not the SDK option.
 * A shape without a name is the model's only input's.
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

/** Loads with `flag`'s shape for the only input, whose name the SDK reports when the model needs one. */
async function loadWithUnnamedShape(dir: string, flag: InputShapeFlag, helpCommand: string): Promise<km.LayersModel> {
  let model: km.LayersModel;
  try {
    model = await km.loadLayersModel(dir);
  } catch (err) {
    if (!(err instanceof km.io.InputShapesError) || err.kind !== 'unknownDimensions') throw err;
    if (err.inputs.length !== 1) throw severalInputs(dir, flag, err.inputs.map((i) => i.name), helpCommand);
    return km.loadLayersModel(dir, { inputShapes: { [err.inputs[0].name]: flag.dims } });
  }
  // Saved with every size known: the flag must agree with them, as the SDK requires of a named shape.
  if (model.inputs.length !== 1) throw severalInputs(dir, flag, model.inputNames, helpCommand);
  const input: SavedInput = { name: model.inputNames[0], batchShape: [null, ...model.inputShape!] };
  if (model.inputShape!.join() !== flag.dims.join()) throw new UsageError(mismatch(flag, input), helpCommand);
  return model;
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
  if (err.kind === 'shapeMismatch') return flag === undefined ? err.message : mismatch(flag, input);
  // Every input still to size, so that one run names all the flags to add.
  const given = new Set(flags.map((f) => f.name));
  const unsized = err.inputs.filter((i) => !given.has(i.name) && sampleShape(i).includes(null));
  const which = unsized.map((i) => `'${i.name}' saved with the shape ${keras(i.batchShape!)}`);
  const fix = unsized.map((i) => `--input-shape ${i.name}=${example(i)}`).join(' ');
  const unknowns = unsized.flatMap(sampleShape).filter((d) => d === null).length;
  return (
    `The model in ${dir} has ${unsized.length === 1 ? 'the input' : 'inputs'} ${which.join(' and ')}, whose unknown dimensions (None) take any size in Keras and tfjs, but kerasm builds a model for one sample shape. ` +
    `Pass the size${unknowns === 1 ? '' : 's'} your data has: ${fix} (for text, the length the sequences are padded to).`
  );
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
