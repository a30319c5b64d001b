// EinsumDense's equation as Keras 3 reads it: the three forms, what each axis is, and the shapes of
// the kernel, the bias and the output once the input's shape is known.
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** Where the equation puts Keras' ellipsis (`...`): nowhere, before the named axes, or after them. */
export type EllipsisSide = 'none' | 'left' | 'right';

/** An equation `input,kernel->output` split into its operands' letters, the ellipsis left out. */
export interface EinsumEquation {
  readonly text: string;
  readonly input: string;
  readonly kernel: string;
  readonly output: string;
  readonly ellipsis: EllipsisSide;
}

// Keras 3's three forms (_analyze_einsum_string), matched whole.
const FORMS: readonly [EllipsisSide, RegExp][] = [
  ['none', /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/],
  ['left', /^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$/],
  ['right', /^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.$/],
];

/** The label of the ellipsis' k-th axis; letters name the others. With a left ellipsis its first axis is the batch. */
const ellipsisLabel = (k: number): string => `...${k}`;

/** The batch axis' label: the input's first letter, or the ellipsis' first axis. */
export function batchLabel(eq: EinsumEquation): string {
  return eq.ellipsis === 'left' ? ellipsisLabel(0) : eq.input[0];
}

/** Checks the equation as given, before any input shape is known. */
export function parseEinsumEquation(equation: unknown, where: string): EinsumEquation {
  const form = typeof equation === 'string' ? FORMS.find(([, pattern]) => pattern.test(equation)) : undefined;
  if (!form) {
    throw new Error(
      `${where}: equation must be an einsum string 'input,kernel->output' of one of Keras' forms 'ab,bc->ac', '...b,bc->...c' or 'ab...,bc->ac...' ` +
        `(letters name the axes, no spaces; the input's first letter, or the ellipsis, is the batch axis). Received: equation=${JSON.stringify(equation)}. ` +
        `E.g. 'abc,cd->abd' applies a [c, d] kernel at every position of [b, c] samples.`,
    );
  }
  const [side, pattern] = form;
  const [, input, kernel, output] = pattern.exec(equation as string)!;
  const eq: EinsumEquation = { text: equation as string, input, kernel, output, ellipsis: side };
  for (const [name, letters] of [['input', input], ['kernel', kernel], ['output', output]] as const) {
    const twice = [...letters].find((c, i) => letters.indexOf(c) !== i);
    if (twice) {
      throw new Error(
        `${where}: axis '${twice}' appears twice in the ${name} '${letters}' of equation '${eq.text}'. EinsumDense takes each axis once per operand (no diagonals or traces); give each axis its own letter.`,
      );
    }
  }
  for (const c of output) {
    if (!input.includes(c) && !kernel.includes(c)) {
      throw new Error(
        `${where}: axis '${c}' of the output '${output}' is in neither the input '${input}' nor the kernel '${kernel}' of equation '${eq.text}', so nothing gives its values. ` +
          `Add '${c}' to the kernel ('${kernel}${c}') to learn it, or remove it from the output.`,
      );
    }
  }
  for (const c of kernel) {
    if (!input.includes(c) && !output.includes(c)) {
      throw new Error(
        `${where}: kernel axis '${c}' of equation '${eq.text}' is in neither the input '${input}' nor the output '${output}', so nothing sizes it (Keras: the weight must be fully specified). ` +
          `Add '${c}' to the output, with its size in outputShape, or remove it from the kernel.`,
      );
    }
  }
  if (side !== 'left') {
    const batch = input[0];
    if (kernel.includes(batch)) {
      throw new Error(`${where}: the input's first axis '${batch}' is the batch axis, whose size changes from batch to batch, so the kernel '${kernel}' of equation '${eq.text}' cannot hold it. Remove '${batch}' from the kernel.`);
    }
    if (output[0] !== batch) {
      throw new Error(
        `${where}: the batch axis '${batch}' (the input's first) must also be the output's first axis, as Keras' outputShape leaves it out, but equation '${eq.text}' has the output '${output}'. ` +
          `Write the output starting with '${batch}', and move its other axes after the layer with km.layers.permute if needed.`,
      );
    }
  }
  if (ownOutputAxes(eq) === 0) {
    throw new Error(`${where}: equation '${eq.text}' leaves the output no axis but the batch, and kerasm's layers give each sample at least one axis. Keep a kernel axis of size 1, e.g. 'ab,bc->ac' with outputShape 1.`);
  }
  return eq;
}

/** How many entries outputShape has: the output's letters, but the batch's. */
function ownOutputAxes(eq: EinsumEquation): number {
  return eq.output.length - (eq.ellipsis === 'left' ? 0 : 1);
}

/** Keras' output_shape without the batch (and ellipsis) axes: a number or a list, null for an axis the input sizes. */
export type EinsumOutputShape = number | readonly (number | null)[];

/** outputShape as a list, checked against the equation. */
export function parseOutputShape(value: unknown, eq: EinsumEquation, where: string): (number | null)[] {
  const list = typeof value === 'number' ? [value] : value;
  const expected = ownOutputAxes(eq);
  const valid = Array.isArray(list) && list.every((d) => d === null || (Number.isInteger(d) && d > 0));
  if (!valid || list.length !== expected) {
    const skipped = eq.ellipsis === 'none' ? 'the batch axis' : eq.ellipsis === 'left' ? 'the ellipsis (which holds the batch)' : 'the batch axis and the ellipsis';
    throw new Error(
      `${where}: outputShape gives the sizes of the output '${eq.output}' of equation '${eq.text}' without ${skipped}: ${expected} entr${expected === 1 ? 'y' : 'ies'}, each a positive integer or null for an axis the input sizes. ` +
        `Received: outputShape=${JSON.stringify(value)}.${expected === 1 ? ' E.g. outputShape: 64.' : ''}`,
    );
  }
  return [...(list as (number | null)[])];
}

/** biasAxes as given: null for no bias, else a string of distinct output axes (not the batch's). */
export function parseBiasAxes(value: unknown, eq: EinsumEquation, where: string): string | null {
  if (value === undefined || value === null) return null;
  const batch = eq.ellipsis === 'left' ? null : eq.input[0];
  const axes = typeof value === 'string' ? [...value] : [];
  const foreign = axes.find((c) => !eq.output.includes(c));
  const bad = typeof value !== 'string' || value === '' ? "it must be a non-empty string of the output's axes"
    : axes.some((c, i) => axes.indexOf(c) !== i) ? 'it names an axis twice'
    : foreign !== undefined ? `'${foreign}' is not an axis of the output '${eq.output}'`
    : batch !== null && axes.includes(batch) ? `'${batch}' is the batch axis, whose size changes from batch to batch`
    : null;
  if (bad) {
    throw new Error(`${where}: biasAxes names the output axes the bias spans, and ${bad}. Received: biasAxes=${JSON.stringify(value)}. E.g. biasAxes: '${eq.output[eq.output.length - 1]}' for equation '${eq.text}', or leave it out for no bias.`);
  }
  return value as string;
}

/** An axis' role in the contraction, by the operands it appears in. */
export type AxisRole = 'free' | 'batched' | 'contracted' | 'reduced' | 'kernelOnly';

/** The equation applied to inputs of one shape: every axis labelled, sized and given its role. */
export interface EinsumLayout {
  /** Labels of the input's axes, the batch's first (letters, and `...k` for the ellipsis' axes). */
  readonly input: readonly string[];
  readonly kernel: readonly string[];
  /** Labels of the output's axes, the batch's first. */
  readonly output: readonly string[];
  /** The batch axis' label. */
  readonly batch: string;
  /** Each axis' size; the batch's is 1, a placeholder for the batch size. */
  readonly size: ReadonlyMap<string, number>;
  readonly role: ReadonlyMap<string, AxisRole>;
  /** The output's shape without the batch axis. */
  readonly outputShape: Shape;
  readonly kernelShape: Shape;
  /** Keras' bias shape: the output's axes from the first bias axis on, 1 where the bias does not vary. Null without biasAxes. */
  readonly biasShape: Shape | null;
  /** Labels of the output's axes the bias shape covers (its last ones). */
  readonly biasTail: readonly string[];
}

/**
 * The layout for samples of `shape` (no batch axis), as Keras 3's `_analyze_split_string` derives
 * the kernel, bias and output shapes; refuses inputs whose rank the equation does not take and
 * sizes outputShape contradicts, and kernel axes of the output that it leaves unsized.
 */
export function einsumLayout(eq: EinsumEquation, outputShape: readonly (number | null)[], biasAxes: string | null, shape: Shape, where: string): EinsumLayout {
  const rank = shape.length + 1;
  const named = eq.input.length;
  const elided = rank - named;
  const minimum = eq.ellipsis === 'none' ? named : eq.ellipsis === 'left' ? named + 1 : named;
  if (eq.ellipsis === 'none' ? rank !== named : rank < minimum) {
    const takes = eq.ellipsis === 'none' ? `samples of rank ${named - 1}` : `samples of at least ${minimum - 1} ax${minimum - 1 === 1 ? 'is' : 'es'}`;
    const fix = eq.ellipsis === 'none' ? ` or an ellipsis ('...${eq.input.slice(1)},${eq.kernel}->...${eq.output.slice(1)}') to take any leading axes` : '';
    throw new Error(
      `${where}: equation '${eq.text}' names ${named} input axes${eq.ellipsis === 'left' ? ' after the ellipsis' : ''} (the batch's ${eq.ellipsis === 'left' ? 'in the ellipsis' : 'first'}), so it takes ${takes}, ` +
        `but received inputs of shape ${formatShape(shape)}. Give inputs of that rank, or write the equation for this one${fix}.`,
    );
  }
  const ellipsis = Array.from({ length: elided }, (_, k) => ellipsisLabel(k));
  const input = eq.ellipsis === 'left' ? [...ellipsis, ...eq.input] : eq.ellipsis === 'right' ? [...eq.input, ...ellipsis] : [...eq.input];
  const output = eq.ellipsis === 'left' ? [...ellipsis, ...eq.output] : eq.ellipsis === 'right' ? [...eq.output, ...ellipsis] : [...eq.output];
  const batch = batchLabel(eq);
  const size = new Map<string, number>(input.map((label, i) => [label, i === 0 ? 1 : shape[i - 1]]));
  // outputShape's entries are the output's letters after the batch's (left form: all of them).
  const given = new Map<string, number | null>([...(eq.ellipsis === 'left' ? eq.output : eq.output.slice(1))].map((c, i) => [c, outputShape[i]]));
  for (const [label, entry] of given) {
    const fromInput = size.get(label);
    if (fromInput !== undefined && entry !== null && entry !== fromInput) {
      throw new Error(
        `${where}: outputShape gives axis '${label}' of equation '${eq.text}' size ${entry}, but the input's axis '${label}' has size ${fromInput} (inputs of shape ${formatShape(shape)}), and the output copies it. ` +
          `Set that entry of outputShape to ${fromInput} or null.`,
      );
    }
    if (fromInput === undefined) {
      if (entry === null) {
        throw new Error(`${where}: output axis '${label}' of equation '${eq.text}' comes from the kernel alone, so outputShape must give its size, but its entry is null. Give it a positive integer, e.g. ${JSON.stringify([...given.keys()].map((c) => (c === label ? 64 : given.get(c))))}.`);
      }
      size.set(label, entry);
    }
  }
  const role = new Map<string, AxisRole>();
  for (const label of new Set([...input, ...eq.kernel, ...output])) {
    const [i, k, o] = [input.includes(label), eq.kernel.includes(label), output.includes(label)];
    role.set(label, i && k && o ? 'batched' : i && o ? 'free' : i && k ? 'contracted' : i ? 'reduced' : 'kernelOnly');
  }
  const sizeOf = (label: string) => size.get(label)!;
  const first = biasAxes === null ? -1 : Math.min(...[...biasAxes].map((c) => output.indexOf(c)));
  const biasTail = first < 0 ? [] : output.slice(first);
  return {
    input, kernel: [...eq.kernel], output, batch, size, role,
    outputShape: output.slice(1).map(sizeOf),
    kernelShape: [...eq.kernel].map(sizeOf),
    biasShape: biasAxes === null ? null : biasTail.map((label) => (biasAxes.includes(label) ? sizeOf(label) : 1)),
    biasTail,
  };
}
