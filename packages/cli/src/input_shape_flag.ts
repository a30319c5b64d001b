import { UsageError } from './errors.js';

/** One `--input-shape` value: the sample shape (no batch axis) of the input `name`, or of the model's only input when it has no name. */
export interface InputShapeFlag {
  name?: string;
  dims: number[];
  /** The value as typed, for errors. */
  raw: string;
}

const FLAG = '--input-shape';
const FORM = `NAME=D1,D2,... (the input's name and its sample shape, without the batch axis), e.g. ${FLAG} tokens=100, or D1,D2,... alone for a model with one input`;

/**
 * Reads the values of the repeatable `--input-shape`: each `NAME=D1,D2,...` or, for a model with
 * one input, `D1,D2,...`, every size a positive integer. An input given twice with another shape,
 * and a shape without a name beside others, are usage errors; a repeat of the same value changes nothing.
 *
 * @example
 * ```ts
 * parseInputShapes(['tokens=100', 'frames=20,8'], 'kerasm predict --help');
 * // [{ name: 'tokens', dims: [100], raw: 'tokens=100' }, { name: 'frames', dims: [20, 8], raw: 'frames=20,8' }]
 * ```
 */
export function parseInputShapes(raws: readonly string[], helpCommand: string): InputShapeFlag[] {
  const flags: InputShapeFlag[] = [];
  for (const raw of raws) {
    const flag = parseInputShape(raw, helpCommand);
    const earlier = flags.find((f) => f.name === flag.name);
    if (earlier !== undefined && earlier.dims.join() !== flag.dims.join()) {
      const which = flag.name === undefined ? 'a shape without an input name' : `input '${flag.name}'`;
      throw new UsageError(`Option '${FLAG}' gives ${which} twice, as '${earlier.raw}' and then '${flag.raw}'. Keep the one you mean, e.g. '${FLAG} ${earlier.raw}'.`, helpCommand);
    }
    if (earlier === undefined) flags.push(flag);
  }
  const unnamed = flags.find((f) => f.name === undefined);
  const named = flags.find((f) => f.name !== undefined);
  if (unnamed && named) {
    throw new UsageError(
      `Option '${FLAG}' got '${unnamed.raw}' without an input name beside '${named.raw}' with one; a shape without a name is for a model with one input. Name every input, e.g. '${FLAG} NAME=${unnamed.dims.join(',')}'.`,
      helpCommand,
    );
  }
  return flags;
}

/** One `--input-shape` value; also the value check parse_strict runs on a negative number (`--input-shape -3`). */
export function parseInputShape(raw: string, helpCommand: string): InputShapeFlag {
  const equals = raw.indexOf('=');
  const name = equals < 0 ? undefined : raw.slice(0, equals).trim();
  const sizes = (equals < 0 ? raw : raw.slice(equals + 1)).split(',').map((s) => s.trim());
  // A size that reads as no number at all ('[100]', '100x4') means the form was not followed.
  const malformed = (s: string) => s === '' || !/^([+-]?[\d.]+(e[+-]?\d+)?|none|null)$/i.test(s);
  if (name === '' || sizes.some(malformed)) throw new UsageError(`Invalid value for ${FLAG}: received '${raw}', expected ${FORM}.`, helpCommand);
  const bad = sizes.find((s) => !/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < 1);
  if (bad !== undefined) {
    const example = `${name === undefined ? '' : `${name}=`}${sizes.map((s) => (s === bad ? '100' : s)).join(',')}`;
    throw new UsageError(
      `Invalid value for ${FLAG}: received '${raw}', whose size '${bad}' is not a positive integer. Give each dimension the size your data has (a text model's: the length its sequences are padded to), e.g. '${FLAG} ${example}'.`,
      helpCommand,
    );
  }
  return { ...(name === undefined ? {} : { name }), dims: sizes.map(Number), raw };
}
