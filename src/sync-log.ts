import type {Log} from './pipeline/plan.js'

/** A search for sessions is shown once it has lasted this long: a quick one (each watch pass) would only flicker. */
const FINDING_SHOWN_AFTER_MS = 1000
/** Progress is redrawn at most ten times a second. */
const REDRAW_MS = 100

/**
 * Messages go to stderr so stdout stays the summary; progress is shown only on a terminal,
 * redrawn in place at most ten times a second.
 */
export function consoleLog(verbose: boolean, stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr, now: () => number = Date.now): Log {
  let lastDraw = 0
  let drawn = false
  let findingSince: number | null = null
  const clear = () => {
    if (drawn) stream.write('\r\u001B[K')
    drawn = false
  }

  const line = (text: string) => {
    clear()
    stream.write(text + '\n')
  }

  const draw = (text: string) => {
    stream.write(`\r\u001B[K${text}`)
    drawn = true
  }

  return {
    debug: (message) => verbose && line(`  ${message}`),
    finding(found, agent) {
      if (!stream.isTTY) return
      if (found === null) {
        findingSince = null
        clear()
        return
      }

      const time = now()
      findingSince ??= time
      if (time - findingSince < FINDING_SHOWN_AFTER_MS || time - lastDraw < REDRAW_MS) return
      lastDraw = time
      draw(`${agent}: looking for sessions, ${found} found`)
    },
    info: (message) => line(message),
    progress(done, total, agent) {
      if (!stream.isTTY) return
      const time = now()
      if (done < total && time - lastDraw < REDRAW_MS) return
      lastDraw = time
      draw(`${agent}: ${done}/${total} sessions`)
      if (done === total) clear()
    },
    warn: (message) => line(`Warning: ${message}`),
  }
}

/** How many warnings `warningsOnce` remembers: a watch of days must not grow without end. */
const WARNINGS_REMEMBERED = 10_000

/**
 * For `watch`: each warning is given once. A session exported again repeats its problems (a
 * corrupt line stays corrupt), which would otherwise come back at every change the agent makes.
 */
export function warningsOnce(log: Log): Log {
  const given = new Set<string>()
  return {
    ...log,
    warn(message) {
      if (given.has(message)) return
      if (given.size >= WARNINGS_REMEMBERED) given.clear()
      given.add(message)
      log.warn(message)
    },
  }
}
