// km.util against tfjs-core 4.22's tf.util itself: the same results on many inputs (empty arrays,
// zero-size shapes, nested arrays of different depths, Unicode strings), tfjs' assertion messages,
// and kerasm's clearer errors where tfjs crashes or where kerasm's dtypes differ.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

/** km.util[name] and tf.util[name] give equal results (or throw the same message) for each argument list. */
function expectSameAsTfjs(name: keyof typeof km.util & keyof typeof tf.util, cases: unknown[][]): void {
  const ours = km.util[name] as (...args: unknown[]) => unknown;
  const theirs = tf.util[name] as (...args: unknown[]) => unknown;
  for (const args of cases) {
    let expected: unknown;
    let expectedError: string | undefined;
    try {
      expected = theirs(...structuredClone(args));
    } catch (e) {
      expectedError = (e as Error).message;
    }
    if (expectedError !== undefined) expect(() => ours(...structuredClone(args)), `${name}(${JSON.stringify(args)})`).toThrow(expectedError);
    else expect(ours(...structuredClone(args)), `${name}(${JSON.stringify(args)})`).toEqual(expected);
  }
}

const rng = new Random(2024);
const randomShape = (maxRank: number, maxDim: number): number[] => Array.from({ length: Math.floor(rng.next() * (maxRank + 1)) }, () => Math.floor(rng.next() * (maxDim + 1)));
const shapes: number[][] = [[], [0], [1], [7], [2, 3], [3, 0, 2], [1, 1, 1], [2, 3, 4, 5], [5, 1, 4, 1, 3], ...Array.from({ length: 40 }, () => randomShape(6, 5))];

describe('km.util matches tf.util on shapes and indices', () => {
  it('sizeFromShape, isScalarShape, computeStrides, sizeToSquarishShape', () => {
    expectSameAsTfjs('sizeFromShape', shapes.map((s) => [s]));
    expectSameAsTfjs('isScalarShape', shapes.map((s) => [s]));
    expectSameAsTfjs('computeStrides', shapes.map((s) => [s]));
    expectSameAsTfjs('sizeToSquarishShape', [0, 1, 2, 3, 4, 10, 17, 99, 100, 101, 65536, 1e6 + 3].map((n) => [n]));
  });

  it('locToIndex and indexToLoc agree with tfjs and invert each other for every index', () => {
    for (const shape of shapes.filter((s) => s.length > 0 && km.util.sizeFromShape(s) > 0)) {
      const strides = km.util.computeStrides(shape);
      const size = km.util.sizeFromShape(shape);
      for (let index = 0; index < size; index += Math.max(1, Math.floor(size / 17))) {
        const loc = km.util.indexToLoc(index, shape.length, strides);
        expect(loc).toEqual(tf.util.indexToLoc(index, shape.length, strides));
        loc.forEach((l, axis) => expect(l >= 0 && l < shape[axis]).toBe(true));
        expect(km.util.locToIndex(loc, shape.length, strides)).toBe(index);
        expect(km.util.locToIndex(loc, shape.length, strides)).toBe(tf.util.locToIndex(loc, shape.length, strides));
      }
    }
    expect(km.util.indexToLoc(5, 0, [])).toEqual(tf.util.indexToLoc(5, 0, []));
    expect(km.util.locToIndex([], 0, [])).toBe(tf.util.locToIndex([], 0, []));
  });

  it('inferFromImplicitShape, with tfjs messages for its errors', () => {
    expectSameAsTfjs('inferFromImplicitShape', [
      [[-1], 6], [[2, -1], 6], [[-1, 3], 0], [[2, 3], 6], [[2, 3], 0], [[2, 3], 5], [[], 1], [[0, -1], 5], [[-1, -1], 4], [[2, -2], 4], [[4, -1], 6], [[3, -1, 2], 12], [[0, 3], 0],
    ]);
  });

  it('parseAxisParam and squeezeShape, with tfjs messages for their errors', () => {
    expectSameAsTfjs('parseAxisParam', [[0, [2, 3]], [-1, [2, 3]], [[0, -1], [2, 3, 4]], [null, [2, 3, 4]], [undefined, []], [3, [2, 3]], [-4, [2, 3, 4]], [1.5, [2, 3]], [[], [2]]]);
    const squeezable = [[1], [1, 3], [2, 1, 3, 1], [1, 1, 1], [], [4, 5], [1, 0, 1], ...shapes];
    expectSameAsTfjs('squeezeShape', squeezable.map((s) => [s]));
    expectSameAsTfjs('squeezeShape', squeezable.map((s) => [s, []]));
    expectSameAsTfjs('squeezeShape', [[[1, 3, 1], [0]], [[1, 3, 1], [2]], [[1, 3, 1], [0, 2]], [[1, 3, 1], [2, 0]], [[1, 3, 1], [-1]], [[1, 3, 1], [1]], [[2, 1, 1, 4], [2]], [[1, 3], [5]]]);
  });

  it('squeezeShape sorts axes by value where tfjs sorts them as strings (rank 11 and up)', () => {
    const shape = Array.from({ length: 12 }, (_, i) => (i === 2 || i === 10 ? 1 : 2));
    // Each axis from 0 to 11 except 2 and 10 is kept, in order.
    const kept = shape.map((_, i) => i).filter((i) => i !== 2 && i !== 10);
    expect(km.util.squeezeShape(shape, [10, 2])).toEqual({ newShape: kept.map(() => 2), keptDims: kept });
    expect(km.util.squeezeShape(shape, [2, 10])).toEqual(km.util.squeezeShape(shape));
  });

  it('assertShapesMatch and assertNonNegativeIntegerDimensions keep tfjs messages', () => {
    expectSameAsTfjs('assertShapesMatch', [[[2, 3], [2, 3]], [[2, 3], [3, 2], 'add:'], [[], []], [[1], [], 'x'], [[0], [0]]]);
    expectSameAsTfjs('assertNonNegativeIntegerDimensions', [[[2, 0, 3]], [[]], [[2, -1]], [[1.5]], [[NaN]]]);
  });

  it('refuses a shape that is not one, with a message (tfjs crashes with a TypeError)', () => {
    expect(() => km.util.sizeFromShape(undefined as never)).toThrow('km.util.sizeFromShape() takes a shape, an array of dimensions such as [2, 3] ([] for a scalar). Received: shape=undefined.');
    expect(() => km.util.computeStrides(null as never)).toThrow('Received: shape=null');
    expect(() => km.util.sizeFromShape('23' as never)).toThrow('Received: shape=string 23');
  });
});

describe('km.util matches tf.util on arrays', () => {
  const nested: unknown[] = [
    [], [[]], [[], []], 5, 'a', true, null, [1, 2, 3], [[1, 2], [3, 4], [5, [6, [7]]]], [[[[[1]]]], 2, [3, [4]]], [['a', ['é', '😀']], [true, false]],
    [new Float32Array([1, 2]), [3, new Int32Array([4, 5])]], [new Uint8Array([255, 0]), new Uint8ClampedArray([7])], [null, undefined, [null]],
    Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? [i, [i + 0.5]] : i)),
  ];

  it('flatten, with and without skipTypedArray, into a fresh or a given result', () => {
    for (const arr of nested) {
      expect(km.util.flatten(arr as never)).toEqual(tf.util.flatten(arr as never));
      expect(km.util.flatten(arr as never, [], true)).toEqual(tf.util.flatten(arr as never, [], true));
      expect(km.util.flatten(arr as never, [0] as never[])).toEqual(tf.util.flatten(arr as never, [0] as never[]));
      expect(km.util.flatten(arr as never, null as never)).toEqual(tf.util.flatten(arr as never, null as never));
    }
    const arrayLike = { 0: [1, 2], 1: 3, 3: [4], length: 'ignored' };
    expect(km.util.flatten(arrayLike as never)).toEqual(tf.util.flatten(arrayLike as never));
    const promise = Promise.resolve(1);
    expect(km.util.flatten([promise, [2]] as never)).toEqual([promise, 2]);
  });

  it('arraysEqual, arraysEqualWithNull, sum, distSquared', () => {
    const pairs: [unknown, unknown][] = [[[], []], [[1, 2], [1, 2]], [[1, 2], [2, 1]], [[1], [1, 1]], [null, null], [null, []], [[NaN], [NaN]], [[0], [-0]], [new Float32Array([1, 2]), [1, 2]], [['a', 'b'], ['a', 'b']], [[null, 3], [32, 3]], [[null, 3], [32, 4]], [[1, null], [null, null]]];
    expectSameAsTfjs('arraysEqual', pairs);
    expectSameAsTfjs('arraysEqualWithNull', pairs.filter(([a]) => !(a instanceof Float32Array)));
    const vectors = [[], [1], [1, 2, 3], [0.1, 0.2, 0.3], [1e308, 1e308], [NaN, 1], [-Infinity, 1], Array.from({ length: 50 }, () => rng.normal())];
    expectSameAsTfjs('sum', vectors.map((v) => [v]));
    expectSameAsTfjs('sum', [[new Float32Array([0.5, 0.25])]]);
    expectSameAsTfjs('distSquared', vectors.map((v) => [v, v.map((x) => x * 2 + 1)]));
    expectSameAsTfjs('distSquared', [[[1, 2], [1, 2, 3]], [new Float32Array([1, 2]), new Int32Array([3, 5])]]);
  });

  it('swap swaps in place, as tfjs', () => {
    const a = [1, 2, 3];
    const b = [1, 2, 3];
    km.util.swap(a, 0, 2);
    tf.util.swap(b, 0, 2);
    expect(a).toEqual(b);
    expect(a).toEqual([3, 2, 1]);
  });

  it('isTypedArray for the typed arrays tfjs makes tensors of, a Node Buffer included', () => {
    for (const v of [new Float32Array(1), new Int32Array(1), new Uint8Array(1), new Uint8ClampedArray(1), Buffer.from('ab'), new Float64Array(1), new Int16Array(1), new Uint32Array(1), new DataView(new ArrayBuffer(4)), [1], {}, null, undefined, 3, 'x']) {
      expect(km.util.isTypedArray(v), String(v?.constructor?.name ?? v)).toBe(tf.util.isTypedArray(v as never));
    }
  });

  it('toNestedArray: scalars, zero-size shapes, complex pairs; kerasm names the mismatch', () => {
    const cases: [number[], number][] = [[[], 1], [[0], 0], [[2, 0], 0], [[0, 3], 0], [[3], 3], [[2, 3], 6], [[2, 1, 3], 6], [[1, 1, 1, 1], 1], ...shapes.map((s) => [s, km.util.sizeFromShape(s)] as [number[], number])];
    for (const [shape, size] of cases) {
      const values = Float32Array.from({ length: size }, () => rng.next());
      expect(km.util.toNestedArray(shape, values), `[${shape}]`).toEqual(tf.util.toNestedArray(shape, values));
      const pairs = Float32Array.from({ length: 2 * size }, () => rng.next());
      if (shape.length > 0) expect(km.util.toNestedArray(shape, pairs, true), `complex [${shape}]`).toEqual(tf.util.toNestedArray(shape, pairs, true));
    }
    expect(() => tf.util.toNestedArray([2, 3], new Float32Array(5))).toThrow();
    expect(() => km.util.toNestedArray([2, 3], new Float32Array(5))).toThrow('km.util.toNestedArray(): shape [2, 3] holds 6 values, but the array has 5. Pass the shape the values came from.');
    expect(() => km.util.toNestedArray(undefined as never, new Float32Array(1))).toThrow('takes the shape first');
    expect(() => km.util.toNestedArray([2], undefined as never)).toThrow('takes the values second, as a typed array or an array of numbers. Received: a=undefined.');
  });
});

describe('km.util matches tf.util on numbers, strings and type tests', () => {
  const numbers = [0, -0, 1, -1, 2.5, -2.5, 7, 8, 1e9 + 1, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, 1e-300];

  it('clamp, nearestLargerEven, isInt, tanh, nearestDivisor', () => {
    expectSameAsTfjs('clamp', numbers.flatMap((x) => [[0, x, 1], [-5, x, 5], [2, x, 1]]));
    expectSameAsTfjs('nearestLargerEven', numbers.map((x) => [x]));
    expectSameAsTfjs('isInt', numbers.map((x) => [x]));
    expectSameAsTfjs('tanh', [...numbers, 0.5, 20, -20, 1e-8].map((x) => [x]));
    expectSameAsTfjs('nearestDivisor', [[12, 5], [13, 2], [1, 1], [0, 1], [100, 3], [97, 2], [64, 9], [6, 7]]);
  });

  it('encodeString and decodeString round-trip Unicode as tfjs, byte for byte', () => {
    const strings = ['', 'a', 'hello world', 'héllo', '日本語のテキスト', '😀👍🏽', 'e\u0301', '\u0000nul', 'a\uD800b', 'Ω≈ç√∫', '🏳️‍🌈'.repeat(20)];
    for (const s of strings) {
      const bytes = km.util.encodeString(s);
      expect(Array.from(bytes), JSON.stringify(s)).toEqual(Array.from(tf.util.encodeString(s)));
      expect(km.util.encodeString(s, 'utf8')).toEqual(bytes);
      expect(km.util.decodeString(bytes)).toBe(tf.util.decodeString(bytes));
      if (!s.includes('\uD800')) expect(km.util.decodeString(bytes)).toBe(s);
    }
    const invalid = Uint8Array.of(0xff, 0x61, 0xc3);
    expect(km.util.decodeString(invalid)).toBe(tf.util.decodeString(invalid));
    const utf16 = Uint8Array.of(0x68, 0, 0xe9, 0);
    expect(km.util.decodeString(utf16, 'utf-16le')).toBe(tf.util.decodeString(utf16, 'utf-16le'));
    expect(km.util.decodeString(Uint8Array.of(0xe9), 'latin1')).toBe(tf.util.decodeString(Uint8Array.of(0xe9), 'latin1'));
  });

  it('refuses encodings TextEncoder lacks, unknown decoders and non-strings, with the fix', () => {
    expect(() => tf.util.encodeString('a', 'latin1')).toThrow();
    expect(() => km.util.encodeString('a', 'latin1')).toThrow('km.util.encodeString() encodes UTF-8 only (TextEncoder\'s one encoding, as tfjs). Received: encoding="latin1".');
    expect(() => km.util.decodeString(Uint8Array.of(1), 'no-such-encoding')).toThrow('does not know the encoding "no-such-encoding"');
    expect(() => km.util.encodeString(12 as never)).toThrow('km.util.encodeString() takes a string. Received: s=number 12.');
    expect(() => km.util.decodeString('abc' as never)).toThrow('takes the bytes as a Uint8Array');
  });

  it('bytesFromStringArray and rightPad', () => {
    const encoded = ['', 'a', 'é', '😀'].map((s) => tf.util.encodeString(s));
    expectSameAsTfjs('bytesFromStringArray', [[encoded], [[]], [null]]);
    expectSameAsTfjs('rightPad', [['ab', 4], ['ab', 2], ['ab', 0], ['', 3], ['日本', 5], ['abc', -1]]);
  });

  it('assert and assertNonNull keep tfjs message semantics', () => {
    expectSameAsTfjs('assert', [[true, 'never'], [false, 'plain message'], [0, 'falsy'], [1, 'truthy']]);
    let built = 0;
    const lazy = () => `built ${++built}`;
    expect(() => km.util.assert(true, lazy)).not.toThrow();
    expect(built).toBe(0);
    expect(() => km.util.assert(false, lazy)).toThrow('built 1');
    expect(() => tf.util.assert(false, lazy)).toThrow('built 2');
    expectSameAsTfjs('assertNonNull', [[0], [''], [[]], [null], [undefined]]);
  });

  it('isString, isBoolean, isNumber, isFunction, isPromise', () => {
    const values: unknown[] = [0, NaN, '', 'x', new String('s'), true, false, null, undefined, [], {}, () => 1, Math.max, class {}, Promise.resolve(1), { then: () => 1 }, { then: 1 }, Symbol('s'), 10n];
    for (const v of values) {
      for (const name of ['isString', 'isBoolean', 'isNumber', 'isFunction', 'isPromise'] as const) {
        expect(Boolean(km.util[name](v as never)), `${name}(${String(v)})`).toBe(Boolean(tf.util[name](v as never)));
      }
    }
  });
});

describe('km.util dtype functions: tfjs answers for float32 and int32, kerasm errors for the dtypes it lacks', () => {
  const dtypes = ['float32', 'int32'] as const;

  it('inferDtype: tfjs answers for numbers and typed arrays; booleans are int32, strings an error', () => {
    const values: unknown[] = [1, [1, 2], [[1]], [], [[]], new Float32Array(2), new Int32Array(2), new Uint8Array(2), new Uint8ClampedArray(2), [new Int32Array(2)], [[new Uint8Array(1)]], {}, null, undefined, new Float64Array(1)];
    for (const v of values) expect(km.util.inferDtype(v), String(v)).toBe(tf.util.inferDtype(v as never));
    expect(tf.util.inferDtype([true])).toBe('bool');
    expect(km.util.inferDtype([true, false])).toBe('int32');
    expect(km.util.inferDtype(false)).toBe('int32');
    expect(() => km.util.inferDtype([['a']])).toThrow(`km.util.inferDtype() (of a string): dtype must be 'float32' or 'int32', the dtypes kerasm supports; received "string". kerasm tensors hold numbers`);
  });

  it('isValidDtype, hasEncodingLoss, bytesPerElement', () => {
    for (const d of dtypes) {
      expect(km.util.isValidDtype(d)).toBe(tf.util.isValidDtype(d));
      expect(km.util.bytesPerElement(d)).toBe(tf.util.bytesPerElement(d));
      for (const e of dtypes) expect(km.util.hasEncodingLoss(d, e), `${d} -> ${e}`).toBe(tf.util.hasEncodingLoss(d, e));
    }
    for (const d of ['bool', 'string', 'complex64', 'float64', undefined]) expect(km.util.isValidDtype(d)).toBe(false);
    expect(() => km.util.bytesPerElement('bool' as never)).toThrow("km.util.bytesPerElement(): dtype must be 'float32' or 'int32', the dtypes kerasm supports; received \"bool\". For a mask, use 'int32' with 0 and 1.");
    expect(() => km.util.hasEncodingLoss('complex64' as never, 'float32')).toThrow('Keep the real and imaginary parts in two');
    expect(() => km.util.hasEncodingLoss('int32', 'bool' as never)).toThrow('received "bool"');
  });

  it('getArrayFromDType, getTypedArrayFromDType, makeZerosTypedArray, makeOnesTypedArray, makeZerosNestedTypedArray', () => {
    for (const d of [...dtypes, undefined]) {
      for (const size of [0, 1, 5]) {
        expect(km.util.getArrayFromDType(d as never, size)).toEqual(tf.util.getArrayFromDType(d as never, size));
        expect(km.util.getTypedArrayFromDType(d as never, size)).toEqual(tf.util.getTypedArrayFromDType(d as never, size));
        expect(km.util.makeZerosTypedArray(size, d as never)).toEqual(tf.util.makeZerosTypedArray(size, d as never));
        expect(km.util.makeOnesTypedArray(size, d as never)).toEqual(tf.util.makeOnesTypedArray(size, d as never));
      }
      for (const shape of [[], [0], [2, 0], [3], [2, 3], [1, 2, 1, 2]]) expect(km.util.makeZerosNestedTypedArray(shape, d as never), `[${shape}]`).toEqual(tf.util.makeZerosNestedTypedArray(shape, d as never));
    }
    expect(() => km.util.getArrayFromDType('string' as never, 2)).toThrow("store each string's integer id");
    expect(() => km.util.makeOnesTypedArray(2, 'bool' as never)).toThrow("For a mask, use 'int32'");
    expect(() => km.util.getArrayFromDType('float32', -1)).toThrow('km.util.getArrayFromDType(): size must be a non-negative integer, the number of elements. Received: size=-1.');
  });

  it('toTypedArray flattens and converts as tfjs, and returns the same array when no conversion is needed', () => {
    const inputs: unknown[] = [[1, 2, 3], [[1.5, -2.5], [3.9, 4]], [], [[]], new Float32Array([1.5, 2]), new Int32Array([1, 2]), new Uint8Array([255, 1]), [new Float32Array([1, 2]), [3, 4]], [[[7]]]];
    for (const a of inputs) {
      for (const d of [...dtypes, undefined]) expect(km.util.toTypedArray(a as never, d as never), `${String(a)} ${d}`).toEqual(tf.util.toTypedArray(a as never, d as never));
    }
    const f = new Float32Array(2);
    expect(km.util.toTypedArray(f, 'float32')).toBe(f);
    const i = new Int32Array(2);
    expect(km.util.toTypedArray(i, 'int32')).toBe(i);
    expect(() => km.util.toTypedArray([1], 'string' as never)).toThrow("km.util.toTypedArray(): dtype must be 'float32' or 'int32'");
  });
});

describe('km.util holds the functions of tf.util that make sense without tfjs engine', () => {
  it('has every tf.util function but the backend internals, and nothing tf.util lacks', () => {
    const leftOut = ['checkConversionForErrors', 'convertBackendValuesAndArrayBuffer', 'createScalarValue', 'fingerPrint64', 'hexToLong'];
    const tfNames = Object.keys(tf.util).filter((n) => !leftOut.includes(n)).sort();
    expect(Object.keys(km.util).sort()).toEqual(tfNames);
    // km.utils (Keras' utilities) is a different namespace and keeps its own functions.
    expect(typeof km.utils.toCategorical).toBe('function');
    expect(km.util.shuffle).toBe(km.utils.shuffle);
  });
});
