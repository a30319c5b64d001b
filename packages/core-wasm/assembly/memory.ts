// Where the module's static data ends; the JS heap starts above it.

/** First byte the module does not use for static data. */
export function heapBase(): usize {
  return __heap_base;
}
