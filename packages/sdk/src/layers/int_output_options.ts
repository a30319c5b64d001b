/** Keras' output modes of Discretization and Hashing; IntegerLookup also has 'tf_idf'. */
export const BIN_OUTPUT_MODES = ['int', 'one_hot', 'multi_hot', 'count'] as const;

/**
 * Checks the output options of a layer that emits integer indices: kerasm runs `outputMode: 'int'`
 * only, dense. A Keras mode kerasm lacks names `categoryEncoding` over `numTokens` (the expression
 * a user would write) as the fix.
 */
export function checkIntOutput(args: { outputMode?: string; sparse?: boolean }, kerasModes: readonly string[], where: string, numTokens: string): void {
  const mode = args.outputMode ?? 'int';
  if (mode !== 'int') {
    const fix = kerasModes.includes(mode) ? ` kerasm supports 'int' only: follow it with km.layers.categoryEncoding({ numTokens: ${numTokens}, outputMode: 'oneHot' | 'multiHot' | 'count' }).` : " Use 'int'.";
    throw new Error(`${where}: outputMode must be one of ${kerasModes.map((m) => `'${m}'`).join(', ')}. Received: outputMode=${JSON.stringify(args.outputMode)}.${fix}`);
  }
  if (args.sparse !== undefined && args.sparse !== false) {
    throw new Error(`${where}: sparse outputs are not supported. Received: sparse=${JSON.stringify(args.sparse)}. Remove it (or set it to false).`);
  }
}
