/** Prints each warning on stderr as `kerasm: warning: ...`, with --json too: stdout keeps only the result. */
export function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`kerasm: warning: ${warning}\n`);
}
