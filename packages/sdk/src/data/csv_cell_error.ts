/** What is wrong with a CSV cell: `'empty'` and no default; `'text'` where a number is read; `'bool'`: text a `'bool'` column does not read. */
export type CsvCellProblem = 'empty' | 'text' | 'bool';

/**
 * Thrown by `km.data.csv` for a cell it cannot read: its message is `problem` (where the cell is
 * and what it holds) followed by the advice for `km.data.csv`'s options. A program that reads CSV
 * files for its users, and takes other options, can word its own advice from the fields.
 *
 * @example
 * ```ts
 * try {
 *   await km.data.csv('data.csv', { labelColumn: 'label' }).toArray();
 * } catch (err) {
 *   if (err instanceof km.data.CsvCellError && err.kind === 'empty') console.error(`${err.problem} Fill in column '${err.column}'.`);
 *   else throw err;
 * }
 * ```
 */
export class CsvCellError extends Error {
  /** What is wrong with the cell. */
  readonly kind: CsvCellProblem;
  /** The problem alone, with where the cell is: "csv data.csv: line 3, column 'a' (column 1) is empty." */
  readonly problem: string;
  /** The 1-based file line the cell's row starts on. */
  readonly line: number;
  /** The column's name. */
  readonly column: string;
  /** The column's 0-based position in the file's header. */
  readonly columnIndex: number;
  /** The cell's text as written ('' when empty). */
  readonly value: string;

  /** `advice` follows `cell.problem` in the message. */
  constructor(cell: Pick<CsvCellError, 'kind' | 'problem' | 'line' | 'column' | 'columnIndex' | 'value'>, advice: string) {
    super(`${cell.problem} ${advice}`);
    this.name = 'CsvCellError';
    this.kind = cell.kind;
    this.problem = cell.problem;
    this.line = cell.line;
    this.column = cell.column;
    this.columnIndex = cell.columnIndex;
    this.value = cell.value;
  }
}
