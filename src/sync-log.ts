import type {Log} from './pipeline/plan.js'

/**
 * Messages go to stderr so stdout stays the summary; progress is shown only on a terminal,
 * redrawn in place at most ten times a second.
 */
export function consoleLog(verbose: boolean, stream: NodeJS.WriteStream = process.stderr): Log {
  let lastDraw = 0
  let drawn = false
  const clear = () => {
    if (drawn) stream.write('\r\u001B[K')
    drawn = false
  }

  const line = (text: string) => {
    clear()
    stream.write(text + '\n')
  }

  return {
    debug: (message) => verbose && line(`  ${message}`),
    info: (message) => line(message),
    progress(done, total, agent) {
      if (!stream.isTTY) return
      const now = Date.now()
      if (done < total && now - lastDraw < 100) return
      lastDraw = now
      stream.write(`\r\u001B[K${agent}: ${done}/${total} sessions`)
      drawn = true
      if (done === total) clear()
    },
    warn: (message) => line(`Warning: ${message}`),
  }
}
