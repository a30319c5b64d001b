// TextVectorization's string steps before the lookup: standardize, split, n-grams, as Keras 3 runs them.

/** How TextVectorization cleans each string before splitting it (Keras' `standardize`). */
export type TextStandardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);

/** `standardize` as given: Keras' names, or their camelCase forms, as outputMode takes 'multiHot'. */
export type TextStandardizeOption = TextStandardize | 'lowerAndStripPunctuation' | 'stripPunctuation';

/** How TextVectorization splits each cleaned string into tokens (Keras' `split`). */
export type TextSplit = 'whitespace' | 'character' | null | ((text: string) => string[]);

/** TextVectorization's `ngrams`: null (tokens as split), n (every width 1 to n), or the widths to make. */
export type TextNgrams = number | readonly number[] | null;

const STANDARDIZE_NAMES = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'] as const;
const STANDARDIZE_ALIASES: Readonly<Record<string, TextStandardize>> = { lowerAndStripPunctuation: 'lower_and_strip_punctuation', stripPunctuation: 'strip_punctuation' };
const SPLIT_NAMES = ['whitespace', 'character'] as const;

// Keras strips exactly Python's string.punctuation (ASCII only; '¿' or '—' stay).
const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// tf.strings.lower without an encoding changes A-Z only ('É' stays), and tf.strings.split splits on ASCII whitespace.
const ASCII_UPPER = /[A-Z]+/g;
const ASCII_WHITESPACE = /[ \t\n\v\f\r]+/;

/** Checks a `standardize` option (a camelCase name as Keras' own), quoting a bad one. */
export function checkStandardize(value: unknown, where: string): TextStandardize {
  if (typeof value === 'string' && Object.hasOwn(STANDARDIZE_ALIASES, value)) return STANDARDIZE_ALIASES[value];
  if (value === null || typeof value === 'function' || (STANDARDIZE_NAMES as readonly unknown[]).includes(value)) return value as TextStandardize;
  throw new Error(`${where}: standardize must be ${STANDARDIZE_NAMES.map((n) => `'${n}'`).join(', ')}, null, or a function (text: string) => string. Received: standardize=${JSON.stringify(value) ?? String(value)}.`);
}

/** Checks a `split` option, quoting a bad one. */
export function checkSplit(value: unknown, where: string): TextSplit {
  if (value === null || typeof value === 'function' || (SPLIT_NAMES as readonly unknown[]).includes(value)) return value as TextSplit;
  throw new Error(`${where}: split must be ${SPLIT_NAMES.map((n) => `'${n}'`).join(', ')}, null, or a function (text: string) => string[]. Received: split=${JSON.stringify(value) ?? String(value)}.`);
}

/** The n-gram widths of an `ngrams` option (n gives 1 to n, as Keras does), or null for none. */
export function ngramWidths(value: unknown, where: string): number[] | null {
  if (value === null || value === undefined) return null;
  const positive = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
  if (positive(value)) return Array.from({ length: value }, (_, i) => i + 1);
  if (Array.isArray(value) && value.length > 0 && value.every(positive)) return [...value];
  throw new Error(`${where}: ngrams must be null, a positive integer n (widths 1 to n) or a list of positive widths such as [1, 2]. Received: ngrams=${JSON.stringify(value) ?? String(value)}.`);
}

/** One string as `standardize` leaves it: ASCII letters lowered and/or ASCII punctuation removed, or the given function's result. */
export function standardizeText(text: string, standardize: TextStandardize, where: string): string {
  if (typeof standardize === 'function') {
    const out: unknown = standardize(text);
    if (typeof out !== 'string') throw new Error(`${where}: the standardize function must return a string, but for ${JSON.stringify(text)} it returned ${JSON.stringify(out) ?? String(out)}.`);
    return out;
  }
  let out = text;
  if (standardize === 'lower' || standardize === 'lower_and_strip_punctuation') out = out.replace(ASCII_UPPER, (m) => m.toLowerCase());
  if (standardize === 'strip_punctuation' || standardize === 'lower_and_strip_punctuation') out = out.replace(ASCII_PUNCTUATION, '');
  return out;
}

/** One cleaned string's tokens: split on runs of whitespace (no empty tokens), into Unicode characters, whole, or by the given function. */
export function splitText(text: string, split: TextSplit, where: string): string[] {
  if (split === null) return [text];
  if (split === 'character') return [...text];
  if (split === 'whitespace') return text.split(ASCII_WHITESPACE).filter((t) => t !== '');
  const out: unknown = split(text);
  if (!Array.isArray(out) || !out.every((t) => typeof t === 'string')) {
    throw new Error(`${where}: the split function must return a list of strings, but for ${JSON.stringify(text)} it returned ${(JSON.stringify(out) ?? String(out)).slice(0, 200)}.`);
  }
  return out;
}

/**
 * The n-grams of a token list, as tf.strings.ngrams makes them: for each width in order, every
 * run of that many consecutive tokens joined by a space (none when the list is shorter).
 */
export function ngramTokens(tokens: readonly string[], widths: readonly number[]): string[] {
  const out: string[] = [];
  for (const width of widths) {
    for (let start = 0; start + width <= tokens.length; start++) out.push(tokens.slice(start, start + width).join(' '));
  }
  return out;
}
