// Float64 recurrent layers written from Keras' equations, for the gradient and parity tests.

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** The element-wise activations the tests use, by kerasm name. */
export const ACTIVATION_REF: Record<string, (v: number) => number> = {
  tanh: Math.tanh,
  sigmoid,
  hardSigmoid: (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1),
  relu: (v) => Math.max(v, 0),
  linear: (v) => v,
};

export interface LstmReferenceOptions {
  units: number;
  activation: string;
  recurrentActivation: string;
  returnSequences: boolean;
  goBackwards: boolean;
  /** The states before the first step ([h] or [h, c]); zeros when absent. */
  initial?: number[][];
  /** 1 for a real step, 0 for padding, in input order: a padded step keeps the states (tfjs' rnn()). */
  mask?: number[];
  /** Append the final states ([h] or [h, c]) to the returned rows. */
  returnState?: boolean;
  /** dropout's mask for this sample ([features], 0 or 1/(1 − rate)): every step's input is multiplied by it. */
  inputMask?: number[];
  /** recurrentDropout's mask ([units]): h₍ₜ₋₁₎ is multiplied by it where it enters the recurrent product (Keras' variational dropout). */
  recurrentMask?: number[];
}

/** A sample's input and previous hidden state as they enter the products, after the given dropout masks. */
function dropped(v: number[], mask: number[] | undefined): number[] {
  return mask ? v.map((x, i) => x * mask[i]) : v;
}

/** The steps in processing order with their mask values. */
function ordered(x: number[][], o: Pick<LstmReferenceOptions, 'goBackwards' | 'mask'>): [number[], number][] {
  const steps = x.map((xt, t): [number[], number] => [xt, o.mask ? o.mask[t] : 1]);
  return o.goBackwards ? steps.reverse() : steps;
}

/** The rows a reference returns: the outputs (all, or the last), then with returnState the final states. */
function finish(outputs: number[][], states: number[][], o: Pick<LstmReferenceOptions, 'returnSequences' | 'returnState'>): number[][] {
  return [...(o.returnSequences ? outputs : [outputs[outputs.length - 1]]), ...(o.returnState ? states : [])];
}

/** One sample `[steps][features]` through an LSTM with kernel [F, 4U], recurrent [U, 4U], bias [4U] (flat, row-major). */
export function lstmReference(x: number[][], kernel: number[], recurrent: number[], bias: number[] | null, o: LstmReferenceOptions): number[][] {
  const u = o.units;
  const [act, rec] = [ACTIVATION_REF[o.activation], ACTIVATION_REF[o.recurrentActivation]];
  let h = o.initial?.[0] ?? new Array<number>(u).fill(0);
  let c = o.initial?.[1] ?? new Array<number>(u).fill(0);
  const outputs: number[][] = [];
  for (const [xRaw, real] of ordered(x, o)) {
    if (!real) {
      outputs.push(h);
      continue;
    }
    const [xt, hr] = [dropped(xRaw, o.inputMask), dropped(h, o.recurrentMask)];
    const z = Array.from({ length: 4 * u }, (_, j) =>
      (bias ? bias[j] : 0) + xt.reduce((s, v, f) => s + v * kernel[f * 4 * u + j], 0) + hr.reduce((s, v, k) => s + v * recurrent[k * 4 * u + j], 0));
    const gate = (g: number, j: number) => z[g * u + j];
    c = c.map((cj, j) => rec(gate(1, j)) * cj + rec(gate(0, j)) * act(gate(2, j)));
    h = c.map((cj, j) => rec(gate(3, j)) * act(cj));
    outputs.push(h);
  }
  return finish(outputs, [h, c], o);
}

/** x·kernel + bias on the last axis of a `[rows][in]` array. */
export function denseReference(x: number[][], kernel: number[], bias: number[]): number[][] {
  return x.map((row) => bias.map((b, j) => row.reduce((s, v, i) => s + v * kernel[i * bias.length + j], b)));
}

/** One sample through a SimpleRNN: h = activation(x·W + h·U + b). */
export function simpleRnnReference(x: number[][], kernel: number[], recurrent: number[], bias: number[] | null, o: Omit<LstmReferenceOptions, 'recurrentActivation'>): number[][] {
  const u = o.units;
  const act = ACTIVATION_REF[o.activation];
  let h = o.initial?.[0] ?? new Array<number>(u).fill(0);
  const outputs: number[][] = [];
  for (const [xRaw, real] of ordered(x, o)) {
    if (!real) {
      outputs.push(h);
      continue;
    }
    const [xt, prev] = [dropped(xRaw, o.inputMask), dropped(h, o.recurrentMask)];
    h = Array.from({ length: u }, (_, j) => act((bias ? bias[j] : 0) + xt.reduce((s, v, f) => s + v * kernel[f * u + j], 0) + prev.reduce((s, v, k) => s + v * recurrent[k * u + j], 0)));
    outputs.push(h);
  }
  return finish(outputs, [h], o);
}

/** One sample through a GRU, gates z, r, h: reset before the recurrent product (tfjs 4.22's form) or, with resetAfter, after it (Keras' default, bias [2, 3U]). */
export function gruReference(x: number[][], kernel: number[], recurrent: number[], bias: number[] | null, o: LstmReferenceOptions & { resetAfter?: boolean }): number[][] {
  const u = o.units;
  const [act, rec] = [ACTIVATION_REF[o.activation], ACTIVATION_REF[o.recurrentActivation]];
  let h = o.initial?.[0] ?? new Array<number>(u).fill(0);
  const outputs: number[][] = [];
  for (const [xRaw, real] of ordered(x, o)) {
    if (!real) {
      outputs.push(h);
      continue;
    }
    // The products read the dropped input and state; the update z⊙h reads h whole.
    const [xt, hr] = [dropped(xRaw, o.inputMask), dropped(h, o.recurrentMask)];
    const xw = (j: number) => (bias ? bias[j] : 0) + xt.reduce((s, v, f) => s + v * kernel[f * 3 * u + j], 0);
    const hu = (v: number[], j: number) => v.reduce((s, hk, k) => s + hk * recurrent[k * 3 * u + j], 0);
    // Reset-after: bias is [2, 3U], and its second row adds to h·U.
    const inner = (j: number) => hu(hr, j) + (o.resetAfter && bias ? bias[3 * u + j] : 0);
    const z = Array.from({ length: u }, (_, j) => rec(xw(j) + inner(j)));
    const r = Array.from({ length: u }, (_, j) => rec(xw(u + j) + inner(u + j)));
    const rh = hr.map((v, k) => v * r[k]);
    const hh = Array.from({ length: u }, (_, j) => act(xw(2 * u + j) + (o.resetAfter ? r[j] * inner(2 * u + j) : hu(rh, 2 * u + j))));
    h = z.map((g, j) => g * h[j] + (1 - g) * hh[j]);
    outputs.push(h);
  }
  return finish(outputs, [h], o);
}
