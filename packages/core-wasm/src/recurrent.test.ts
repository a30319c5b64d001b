import { describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { activationDerivativeRef, activationRef, ELEMENTWISE_ACTIVATIONS } from './test_activations.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

type Kind = (typeof ELEMENTWISE_ACTIVATIONS)[number];

// A float64 LSTM step written from Keras' equations, and its backward pass by the chain rule
// through the pre-activations (derivatives in x, not the kernels' from-output forms).
function lstmStep(z: Float32Array, cPrev: Float32Array | null, rows: number, units: number, act: Kind, rec: Kind) {
  const [f, g, df, dg] = [activationRef[act], activationRef[rec], activationDerivativeRef[act], activationDerivativeRef[rec]];
  const gates: number[] = [], c: number[] = [], ac: number[] = [], h: number[] = [];
  const slopes: number[] = [], acSlope: number[] = [];
  for (let r = 0; r < rows; r++) {
    const pre = (k: number, j: number) => z[r * 4 * units + k * units + j];
    const row = [0, 1, 2, 3].flatMap((k) => Array.from({ length: units }, (_, j) => (k === 2 ? f : g)(pre(k, j))));
    slopes.push(...[0, 1, 2, 3].flatMap((k) => Array.from({ length: units }, (_, j) => (k === 2 ? df : dg)(pre(k, j)))));
    gates.push(...row);
    for (let j = 0; j < units; j++) {
      const cv = row[units + j] * (cPrev ? cPrev[r * units + j] : 0) + row[j] * row[2 * units + j];
      c.push(cv);
      ac.push(f(cv));
      acSlope.push(df(cv));
      h.push(row[3 * units + j] * f(cv));
    }
  }
  const backward = (dh: Float32Array, dc: Float32Array) => {
    const dz: number[] = new Array(rows * 4 * units).fill(0);
    const dcPrev: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < units; j++) {
        const k = r * units + j;
        const gate = (q: number) => gates[r * 4 * units + q * units + j];
        const slope = (q: number) => slopes[r * 4 * units + q * units + j];
        const dcTotal = dc[k] + dh[k] * gate(3) * acSlope[k];
        dz[r * 4 * units + j] = dcTotal * gate(2) * slope(0);
        dz[r * 4 * units + units + j] = dcTotal * (cPrev ? cPrev[k] : 0) * slope(1);
        dz[r * 4 * units + 2 * units + j] = dcTotal * gate(0) * slope(2);
        dz[r * 4 * units + 3 * units + j] = dh[k] * ac[k] * slope(3);
        dcPrev.push(dcTotal * gate(1));
      }
    }
    return { dz, dcPrev };
  };
  return { gates, c, ac, h, backward };
}

const cases: [number, number, Kind, Kind, boolean][] = [
  [1, 1, Activation.Tanh, Activation.HardSigmoid, false],
  [3, 5, Activation.Tanh, Activation.HardSigmoid, true],
  [4, 8, Activation.Tanh, Activation.Sigmoid, true],
  [2, 7, Activation.Relu, Activation.Sigmoid, true],
  [5, 9, Activation.Softsign, Activation.Softplus, true],
  [2, 4, Activation.Selu, Activation.Linear, false],
];

describe.each(FLAVORS)('LSTM cell kernels (%s) against a float64 reference', (flavor) => {
  it.each(cases)('rows %i, units %i, activation %i, recurrent activation %i, previous state %s', async (rows, units, act, rec, withState) => {
    const core = await coreFor(flavor);
    const z = randomArray(rows * 4 * units, 1, -3, 3);
    const cPrev = withState ? randomArray(rows * units, 2, -2, 2) : null;
    const ref = lstmStep(z, cPrev, rows, units, act, rec);
    const n = rows * units;
    const [pz, pc, pac, ph] = [z, new Float32Array(n), new Float32Array(n), new Float32Array(n)].map((a) => put(core, a));
    const pcPrev = cPrev ? put(core, cPrev) : 0;
    core.lstmCellForward(pz, pcPrev, pc, pac, ph, rows, units, act, rec);
    expectClose(get(core, pz, 4 * n), ref.gates, 1e-5, 1e-6);
    expectClose(get(core, pc, n), ref.c, 1e-5, 1e-6);
    expectClose(get(core, pac, n), ref.ac, 1e-5, 1e-6);
    expectClose(get(core, ph, n), ref.h, 1e-5, 1e-6);

    const dh = randomArray(n, 3);
    const dc = randomArray(n, 4);
    const expected = ref.backward(dh, dc);
    const [pdh, pdc] = [dh, dc].map((a) => put(core, a));
    core.lstmCellBackward(pz, pcPrev, pac, pdh, pdc, rows, units, act, rec);
    expectClose(get(core, pz, 4 * n), expected.dz, 1e-4, 1e-5);
    expectClose(get(core, pdc, n), expected.dcPrev, 1e-4, 1e-5);
    // dh is read, not written.
    expect(Array.from(get(core, pdh, n))).toEqual(Array.from(dh));
    [pz, pc, pac, ph, pdh, pdc, pcPrev].filter(Boolean).forEach((p) => core.free(p));
  });
});
