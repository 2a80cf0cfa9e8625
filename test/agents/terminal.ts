/**
 * An agent run in a terminal, as a person uses it: a tmux session of its own (its own server
 * socket), typed into with send-keys and read with capture-pane.
 */
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import path from 'node:path'

/** Why tmux cannot run here, or null. */
export function noTerminal(): string | null {
  try {
    execFileSync('tmux', ['-V'], {stdio: 'pipe'})
    return null
  } catch (error) {
    return `tmux is not installed (${(error as Error).message.split('\n')[0]})`
  }
}

/** Checks `done` four times a second until it holds, for `ms` at most; `failure` says why not. */
export async function pollUntil(done: () => boolean, failure: () => string, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    if (done()) return
    if (Date.now() > deadline) throw new Error(failure())
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

export class Terminal {
  private readonly socket: string

  /** Starts `command` with `args` in `cwd` with exactly `env`, in a terminal of 200 × 50. */
  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, folder: string) {
    this.socket = `sessionsync-${process.pid}-${Date.now()}`
    const envFile = path.join(folder, 'terminal.env')
    const quote = (value: string) => `'${value.replaceAll("'", String.raw`'\''`)}'`
    writeFileSync(envFile, Object.entries(env).flatMap(([name, value]) => (value === undefined ? [] : [`export ${name}=${quote(value)}`])).join('\n') + '\n')
    const script = `. ${quote(envFile)} && cd ${quote(cwd)} && exec ${[command, ...args].map(quote).join(' ')}`
    this.tmux('new-session', '-d', '-s', 'agent', '-x', '200', '-y', '50', `env -i bash --noprofile --norc -c ${quote(script)}`)
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', stdio: 'pipe'})
  }

  /** What the terminal shows now. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'agent')
  }

  /** Waits until the screen shows `text`, for `ms` at most; says what it showed instead. */
  waitFor(text: string, ms = 60_000): Promise<void> {
    return this.waitUntil((shown) => shown.includes(text), `show "${text}"`, ms)
  }

  /** Waits until the screen no longer shows `text`. */
  waitForGone(text: string, ms = 60_000): Promise<void> {
    return this.waitUntil((shown) => !shown.includes(text), `stop showing "${text}"`, ms)
  }

  private waitUntil(done: (shown: string) => boolean, what: string, ms: number): Promise<void> {
    let shown = ''
    return pollUntil(
      () => done((shown = this.screen())),
      () => `the terminal did not ${what} within ${ms} ms; it shows:\n${shown}`,
      ms,
    )
  }

  /**
   * Waits until the agent has exited (its terminal closes with it), so that what it writes as it
   * exits is on disk; says what it showed last if it does not.
   */
  waitForExit(ms = 30_000): Promise<void> {
    let shown = ''
    return pollUntil(
      () => {
        try {
          shown = this.screen()
          return false
        } catch {
          return true
        }
      },
      () => `the agent did not exit within ${ms} ms; it shows:\n${shown}`,
      ms,
    )
  }

  /** Types text as it is, without pressing Enter. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'agent', '-l', text)
  }

  /**
   * Types a line into the agent's input and submits it. An interface still starting drops what is
   * typed: the line is typed again (its input cleared first) until the screen shows it.
   */
  async submit(text: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.press('C-u')
      this.type(text)
      try {
        await this.waitFor(text, 5000)
        break
      } catch (error) {
        if (attempt === 5) throw error
      }
    }

    this.press('Enter')
  }

  /** Presses keys by their tmux names (`Enter`, `Escape`, `Up`, `C-u`). */
  press(...keys: string[]): void {
    for (const key of keys) this.tmux('send-keys', '-t', 'agent', key)
  }

  close(): void {
    try {
      this.tmux('kill-server')
    } catch {
      // Already gone with its last window.
    }
  }
}
