export interface ReadAheadLimits {
  /** Reads in flight at most. */
  count: number
  /** Source bytes in flight at most; a larger item is still read, alone. */
  bytes: number
}

/**
 * Yields each item with what `read` made of it, in order, while the next items are already
 * being read: the disk works while the caller renders and writes. The byte budget keeps
 * memory near one session's worth: a large session is never read beside others.
 * `read` must not reject (return the error instead).
 */
export async function* readAhead<T, R>(items: readonly T[], sizeOf: (item: T) => number, read: (item: T) => Promise<R>, limits: ReadAheadLimits): AsyncGenerator<[T, R]> {
  const inFlight: Array<{item: T; bytes: number; result: Promise<R>}> = []
  let next = 0
  // In flight and held by the caller: a session counts until the caller is done with it.
  let bytes = 0
  const fill = () => {
    while (next < items.length && inFlight.length < limits.count && (bytes === 0 || bytes + sizeOf(items[next]) <= limits.bytes)) {
      const item = items[next++]
      const size = sizeOf(item)
      bytes += size
      inFlight.push({bytes: size, item, result: read(item)})
    }
  }

  fill()
  while (inFlight.length > 0) {
    const head = inFlight.shift()!
    const result = await head.result
    fill()
    yield [head.item, result]
    bytes -= head.bytes
    fill()
  }
}
