import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const TAIL = 64 * 1024
const GNU_TIME = '/usr/bin/time'

/** GNU time gives the child's peak RSS exactly; without it, /proc/<pid>/status is polled. */
const hasGnuTime = !process.env.BENCH_NO_GNU_TIME && spawnSync(GNU_TIME, ['-v', '-o', '/dev/null', 'true']).status === 0

export const memoryMethod = hasGnuTime ? '/usr/bin/time -v' : '/proc/<pid>/status VmHWM polling'

/** Linux counts a process's processor time in ticks of 1/100 s (USER_HZ) on every architecture. */
const TICKS_PER_SECOND = 100

/**
 * Processor time of a running process, all its threads, and of the children it has waited for
 * (user and system, from /proc/<pid>/stat); null once it is gone.
 */
export function processorSeconds(pid, {children = false} = {}) {
  const stat = readFileSafe(`/proc/${pid}/stat`)
  if (!stat) return null
  // The fields after the command's name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  const ticks = [11, 12, ...(children ? [13, 14] : [])].reduce((sum, index) => sum + Number(fields[index]), 0)
  return ticks / TICKS_PER_SECOND
}

/**
 * Runs one command to completion and measures it: wall time, processor time, exit code, peak RSS,
 * the tail of its output. Never throws: a command that cannot start or fails is reported as such.
 * Processor time (user and system, every thread) does not count the time a busy host gives to
 * others, which wall time does: it tells a slower hour from slower code.
 */
export async function measure({command, args, env, cwd, timeoutSeconds}) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-time-'))
  const timeFile = path.join(scratch, 'time.txt')
  const [file, argv] = hasGnuTime ? [GNU_TIME, ['-v', '-o', timeFile, command, ...args]] : [command, args]
  const started = performance.now()
  const result = await new Promise((resolve) => {
    const child = spawn(file, argv, {cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true})
    const out = {stdout: '', stderr: '', vmHwmKb: 0, cpuSeconds: null, timedOut: false}
    child.stdout.on('data', (chunk) => (out.stdout = (out.stdout + chunk).slice(-TAIL)))
    child.stderr.on('data', (chunk) => (out.stderr = (out.stderr + chunk).slice(-TAIL)))
    const poll = hasGnuTime
      ? null
      : setInterval(() => {
          out.vmHwmKb = Math.max(out.vmHwmKb, readVmHwm(child.pid))
          // The last reading before it ends: up to one interval short.
          out.cpuSeconds = processorSeconds(child.pid, {children: true}) ?? out.cpuSeconds
        }, 20)
    const timer = setTimeout(() => {
      out.timedOut = true
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }, timeoutSeconds * 1000)
    child.on('error', (error) => {
      out.stderr += `\n${error.message}`
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (poll) clearInterval(poll)
      resolve({...out, exitCode: code, signal})
    })
  })
  const seconds = (performance.now() - started) / 1000
  let peakRssBytes = result.vmHwmKb * 1024 || null
  let cpuSeconds = result.cpuSeconds
  let exitCode = result.exitCode
  if (hasGnuTime) {
    const report = readFileSafe(timeFile)
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)
    if (rss) peakRssBytes = Number(rss[1]) * 1024
    const user = /User time \(seconds\): ([\d.]+)/.exec(report)
    const system = /System time \(seconds\): ([\d.]+)/.exec(report)
    if (user && system) cpuSeconds = Number(user[1]) + Number(system[1])
    // GNU time exits with the child's status; a signal shows in its report.
    const status = /Exit status: (\d+)/.exec(report)
    if (status) exitCode = Number(status[1])
  }

  rmSync(scratch, {recursive: true, force: true})
  return {
    exitCode: result.timedOut ? null : exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    seconds,
    cpuSeconds,
    peakRssBytes,
    stdout: result.stdout,
    stderrTail: result.stderr.trim().split('\n').slice(-8).join('\n'),
  }
}

function readVmHwm(pid) {
  const status = readFileSafe(`/proc/${pid}/status`)
  const match = /VmHWM:\s+(\d+) kB/.exec(status)
  return match ? Number(match[1]) : 0
}

function readFileSafe(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
