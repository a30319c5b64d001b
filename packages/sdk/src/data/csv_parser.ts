/** One CSV record with the (1-based) line of the file it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** The separator of `delimWhitespace`: a run of spaces and tabs. */
export const WHITESPACE = Symbol('whitespace');

/** What separates a record's fields: one character, or {@link WHITESPACE}. */
export type CsvDelimiter = string | typeof WHITESPACE;

/**
 * A streaming RFC 4180 parser: feed it chunks as they arrive and it returns the records they
 * complete. Quoted fields may hold the delimiter, newlines and doubled quotes (`""`). With
 * {@link WHITESPACE}, any run of spaces and tabs separates two fields, and whitespace at the start
 * or end of a line separates nothing.
 */
export class CsvParser {
  readonly #delimiter: string;
  readonly #whitespace: boolean;
  readonly #where: string;
  #field = '';
  #fields: string[] = [];
  #inQuotes = false;
  /** A quote seen inside a quoted field: either its end or the first half of `""`. */
  #quotePending = false;
  #afterCR = false;
  #line = 1;
  #recordLine = 1;
  #quoteLine = 1;
  #fieldStarted = false;

  constructor(delimiter: CsvDelimiter, where: string) {
    if (delimiter !== WHITESPACE && (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
      throw new Error(`csv: delimiter must be one character other than a quote or newline. Received: delimiter=${JSON.stringify(delimiter)}. Use ',', ';' or '\\t'.`);
    }
    this.#whitespace = delimiter === WHITESPACE;
    this.#delimiter = delimiter === WHITESPACE ? '' : delimiter;
    this.#where = where;
  }

  /** Parses a chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (const ch of chunk) {
      if (this.#afterCR) {
        this.#afterCR = false;
        if (ch === '\n') continue;
      }
      if (this.#quotePending) {
        this.#quotePending = false;
        if (ch === '"') {
          this.#field += '"';
          continue;
        }
        this.#inQuotes = false;
      }
      if (this.#inQuotes) {
        if (ch === '"') this.#quotePending = true;
        else {
          if (ch === '\n' || ch === '\r') this.#line++;
          if (ch === '\r') this.#afterCR = true;
          this.#field += ch === '\r' ? '\n' : ch;
        }
        continue;
      }
      if (ch === '"' && !this.#fieldStarted) {
        this.#inQuotes = true;
        this.#fieldStarted = true;
        this.#quoteLine = this.#line;
      } else if (ch === '"') {
        throw new Error(`csv ${this.#where}: line ${this.#line} has a quote in the middle of a field (after '${this.#field}'). Quote the whole field and double the quotes inside it: "say ""hi""".`);
      } else if (this.#whitespace ? ch === ' ' || ch === '\t' : ch === this.#delimiter) {
        // A run of whitespace is one separator, and before a line's first field it separates nothing.
        if (!this.#whitespace || this.#fieldStarted) this.#endField();
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r') this.#afterCR = true;
        this.#endRecord(out);
        this.#line++;
        this.#recordLine = this.#line;
      } else {
        this.#field += ch;
        this.#fieldStarted = true;
      }
    }
    return out;
  }

  /** Ends the input; returns the last record if the file does not end with a newline. */
  end(): CsvRecord[] {
    if (this.#quotePending) {
      this.#quotePending = false;
      this.#inQuotes = false;
    }
    if (this.#inQuotes) {
      throw new Error(`csv ${this.#where}: the quoted field that starts on line ${this.#quoteLine} never closes. Add the closing quote (") or remove the stray one.`);
    }
    const out: CsvRecord[] = [];
    this.#endRecord(out);
    return out;
  }

  #endField(): void {
    this.#fields.push(this.#field);
    this.#field = '';
    this.#fieldStarted = false;
  }

  #endRecord(out: CsvRecord[]): void {
    const blank = this.#fields.length === 0 && !this.#fieldStarted && this.#field === '';
    if (!blank) {
      // Whitespace after a line's last field ended it already; it starts no empty field.
      if (!this.#whitespace || this.#fieldStarted) this.#endField();
      out.push({ line: this.#recordLine, fields: this.#fields });
    }
    this.#fields = [];
    this.#field = '';
    this.#fieldStarted = false;
  }
}
