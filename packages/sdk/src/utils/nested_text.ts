/** The first string in a (nested) list, such as texts passed where numbers belong; undefined if it holds none. */
export function firstString(values: readonly unknown[]): string | undefined {
  for (const value of values) {
    const found = typeof value === 'string' ? value : Array.isArray(value) ? firstString(value) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}
