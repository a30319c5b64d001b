/**
 * Keeps up to `ahead` calls to `source.next()` in flight, so an async source (a file, a network
 * read, a slow map) works while the consumer trains on the previous element.
 */
export async function* prefetched<T>(source: AsyncIterator<T>, ahead: number): AsyncGenerator<T> {
  const queue: Promise<IteratorResult<T>>[] = [];
  let done = false;
  const refill = () => {
    while (!done && queue.length < ahead) queue.push(source.next());
  };
  refill();
  while (queue.length > 0) {
    const next = await queue.shift()!;
    if (next.done) {
      // Requests already queued past the end resolve as done too; drop them.
      done = true;
      queue.length = 0;
      return;
    }
    refill();
    yield next.value;
  }
}
