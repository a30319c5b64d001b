/**
 * `km.data`: datasets that stream, shuffle and batch the way `tf.data` does, for `fit` and
 * `evaluate` on data that does not fit in memory.
 */
export { Dataset, type Batched } from './dataset.js';
export type { DatasetSize } from './dataset_size.js';
export { array, func, generator, type FuncResult } from './sources.js';
export { zip, type DatasetStructure, type Zipped } from './zip.js';
export { CsvCellError, type CsvCellProblem } from './csv_cell_error.js';
export { csv, CsvDataset, type CsvOptions, type CsvColumnConfig, type CsvElement, type CsvKeyedElement, type CsvElementOf } from './csv.js';
