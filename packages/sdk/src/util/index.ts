// km.util: TensorFlow.js' tf.util namespace (tfjs-core 4.22), the functions that make sense without
// tfjs' engine and backends, with tfjs' names, signatures and behaviour (see each function for the
// departures: kerasm's dtypes, the seedable generator, clearer errors).
export { arraysEqual, arraysEqualWithNull, distSquared, flatten, isTypedArray, sum, swap, type FlatVector, type RecursiveArray } from './arrays.js';
export { assert, assertNonNull, isBoolean, isFunction, isNumber, isPromise, isString } from './checks.js';
export { bytesPerElement, getArrayFromDType, getTypedArrayFromDType, hasEncodingLoss, inferDtype, isValidDtype, makeOnesTypedArray, makeZerosNestedTypedArray, makeZerosTypedArray, toTypedArray } from './dtypes.js';
export { toNestedArray } from './nested_arrays.js';
export { clamp, isInt, nearestDivisor, nearestLargerEven, tanh } from './numbers.js';
export { fetch, now } from './platform.js';
export { createShuffledIndices, randUniform } from './random.js';
export { shuffle, shuffleCombo } from '../utils/shuffle.js';
export { repeatedTry } from './retry.js';
export { assertNonNegativeIntegerDimensions, assertShapesMatch, computeStrides, indexToLoc, inferFromImplicitShape, isScalarShape, locToIndex, parseAxisParam, sizeFromShape, sizeToSquarishShape, squeezeShape } from './shapes.js';
export { bytesFromStringArray, decodeString, encodeString, rightPad } from './strings.js';
