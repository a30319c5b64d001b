/**
 * The name in `names` that `typed` was probably meant to be, worded as the SDK's option checks
 * word it: the same name in another case or with `-`/`_` instead of camelCase, a name `typed`
 * starts (`--expand` → `--expand-nested`), or the nearest spelling within a few edits.
 *
 * @example
 * ```ts
 * likelyMeant('trian', ['train', 'evaluate']); // 'train'
 * likelyMeant('epoch', ['epochs', 'units']); // 'epochs'
 * ```
 */
export function likelyMeant(typed: string, names: readonly string[]): string | undefined {
  const key = normalize(typed);
  if (key === '') return undefined;
  const exact = names.find((name) => normalize(name) === key);
  if (exact) return exact;
  const extended = names.filter((name) => normalize(name).startsWith(key));
  if (extended.length === 1 && key.length >= 3) return extended[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typed.length / 4)) + 1;
  for (const name of names) {
    const d = editDistance(key, normalize(name));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * Ends a sentence about the unknown `typed`: `; did you mean '<name>'?` with {@link likelyMeant}'s
 * guess shown by `show`, or a plain '.' when nothing is close.
 */
export function didYouMean(typed: string, names: readonly string[], show = (name: string) => `'${name}'`): string {
  const meant = likelyMeant(typed, names);
  return meant === undefined ? '.' : `; did you mean ${show(meant)}?`;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}
