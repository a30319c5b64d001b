// Reading the string inputs of StringLookup and TextVectorization: nested lists, and datasets for adapt.
import { describeReceived, isStringData, type StringData } from './string_layer.js';

/** String data as rows along its last axis, with its shape (-1 for the length of ragged rows). */
export interface StringRows {
  rows: string[][];
  shape: number[];
}

/**
 * `data`'s last axis as rows: one string is `[[s]]` (shape []), a list one row (shape [n]), a list of
 * lists its rows (shape [n, length]). Rows of different lengths are refused when `rectangular`.
 */
export function stringRows(data: StringData, where: string, rectangular: boolean): StringRows {
  if (typeof data === 'string') return { rows: [[data]], shape: [] };
  if (data.every((x) => typeof x === 'string')) return { rows: [data as string[]], shape: [data.length] };
  const rows = data as readonly unknown[];
  const [text, list] = [rows.findIndex((x) => !Array.isArray(x)), rows.findIndex((x) => Array.isArray(x))];
  if (text >= 0) throw new Error(`${where} reads a list of strings or a list of lists of strings, not a mix: entry ${text} is ${JSON.stringify(rows[text])} but entry ${list} is ${JSON.stringify(rows[list]).slice(0, 60)}. Wrap each string in a list, or flatten the lists.`);
  const lists = rows as string[][];
  const ragged = lists.findIndex((row) => row.length !== lists[0].length);
  if (ragged >= 0 && rectangular) {
    throw new Error(`${where} gives one index per token here, so the lists must have one length, but row ${ragged} has ${lists[ragged].length} tokens and row 0 has ${lists[0].length}. Pad the rows (with the maskToken), or use outputMode 'multi_hot', 'count' or 'tf_idf'.`);
  }
  return { rows: lists.map((row) => [...row]), shape: [lists.length, ragged >= 0 ? -1 : lists[0].length] };
}

/** One piece of adapt's input: the whole of an array, or one element of a dataset. */
export interface StringItem {
  data: StringData;
  element: boolean;
}

/** The string data adapt reads: the array itself, or each element of a km.data Dataset (any async or sync iterable). */
export async function* stringItems(data: unknown, where: string): AsyncGenerator<StringItem> {
  if (isStringData(data)) {
    yield { data, element: false };
    return;
  }
  const iterable = data !== null && typeof data === 'object' && (Symbol.asyncIterator in data || Symbol.iterator in data);
  if (!iterable || Array.isArray(data)) {
    throw new Error(`${where}: adapt reads strings: a list of strings, a list of lists of strings, or a km.data Dataset of them. Received: ${describeReceived(data)}.`);
  }
  let i = 0;
  for await (const element of data as AsyncIterable<unknown>) {
    if (!isStringData(element)) throw new Error(`${where}: adapt reads a dataset of strings (or lists of them), but element ${i} is ${describeReceived(element)}. Map the elements to their text first, e.g. ds.map((e) => e.text).`);
    yield { data: element, element: true };
    i++;
  }
}
