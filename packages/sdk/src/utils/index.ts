export { clearSession } from './clear_session.js';
export { setRandomSeed } from './random.js';
export { toCategorical } from './to_categorical.js';
export { padSequences, type NumericTypedArray, type PadSequence, type PadSequencesOptions } from './pad_sequences.js';
export { timeseriesDatasetFromArray, type TimeseriesDatasetOptions } from './timeseries_dataset.js';
export { ctcDecode } from './ctc_decode.js';
export type { CtcDecodeOptions } from './ctc_decode.js';
export { shuffle, shuffleCombo } from './shuffle.js';
