export { setRandomSeed } from './random.js';
export { toCategorical } from './to_categorical.js';
