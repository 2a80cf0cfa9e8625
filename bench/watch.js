/**
 * What `sessionsync watch` costs while agents write: the processor time of the watch process
 * (all its threads, from /proc) while lines are appended, as Claude Code appends them, to
 * - a small session of the workspace, once a second (the cost of one export of a change);
 * - a session of another project, once a second (what activity elsewhere costs);
 * - the largest session, twice a second (the share of a core a long active session takes).
 * The corpus's Claude Code history is linked, not copied, into a scratch folder beside it; only
 * the files appended to are copies, so the corpus stays as generated.
 */
import {spawn} from 'node:child_process'
import {appendFileSync, closeSync, copyFileSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {randomUUID} from 'node:crypto'
import path from 'node:path'
import {processorSeconds} from './measure.js'

const SMALL_SESSION_BYTES = 150 * 1024
/** Enough of a file's end to hold its last message. */
const TAIL_BYTES = 4 * 1024 * 1024
const ELSEWHERE = '/bench/elsewhere'

export async function measureWatch({corpus, cli, env, output, log}) {
  if (!existsSync('/proc/self/stat')) return {skipped: 'no /proc to read the processor time from'}
  const projects = path.join(corpus.claudeConfigDir, 'projects')
  const largest = corpus.largestSessionFile.file
  if (!largest.startsWith(projects + path.sep)) return {skipped: 'the largest session is not a Claude Code file'}
  const small = closestInSize(path.dirname(largest), SMALL_SESSION_BYTES, largest)
  if (!small) return {skipped: 'no Claude Code session of the project besides the largest'}
  const scratch = path.join(corpus.dir, '.watch-scratch')
  rmSync(scratch, {recursive: true, force: true})
  try {
    const config = path.join(scratch, 'claude')
    const copy = (file) => path.join(config, 'projects', path.relative(projects, file))
    mirror(projects, path.join(config, 'projects'), new Set([largest, small]))
    // The small session again, as started in another project: another id, another folder.
    const id = randomUUID()
    const elsewhere = path.join(config, 'projects', ELSEWHERE.replaceAll('/', '-'), `${id}.jsonl`)
    mkdirSync(path.dirname(elsewhere))
    const moved = readFileSync(small, 'utf8').replaceAll(`"cwd":${JSON.stringify(corpus.workspace)}`, `"cwd":${JSON.stringify(ELSEWHERE)}`)
    writeFileSync(elsewhere, moved.replaceAll(path.basename(small, '.jsonl'), id))

    const watch = await startWatch(cli('watch', 'watch', '--agent', 'claude', '--workspace', corpus.workspace, '--output', output), {...env, CLAUDE_CONFIG_DIR: config})
    try {
      log('watch: a line a second to a small session')
      const smallRun = await appending(watch, copy(small), 10, 1000)
      log('watch: a line a second to a session of another project')
      const elsewhereRun = await appending(watch, elsewhere, 10, 1000)
      log('watch: two lines a second to the largest session')
      const largestRun = await appending(watch, copy(largest), 60, 500)
      return {sessions: watch.sessions, small: {bytes: statSync(small).size, ...smallRun}, largest: {bytes: statSync(largest).size, ...largestRun}, elsewhere: elsewhereRun}
    } finally {
      await watch.stop()
    }
  } catch (error) {
    return {skipped: error.message}
  } finally {
    rmSync(scratch, {recursive: true, force: true})
  }
}

/** Appends `count` lines `intervalMs` apart, then waits for the last export; what it cost meanwhile. */
async function appending(watch, file, count, intervalMs) {
  const next = prompts(file)
  const [cpuBefore, exportsBefore, started] = [watch.cpuSeconds(), watch.exports(), performance.now()]
  for (let index = 0; index < count; index++) {
    appendFileSync(file, next())
    await sleep(intervalMs)
  }

  const seconds = (performance.now() - started) / 1000
  const cpuWhileWriting = watch.cpuSeconds() - cpuBefore
  await settled(watch)
  const cpuSeconds = watch.cpuSeconds() - cpuBefore
  return {lines: count, seconds, exports: watch.exports() - exportsBefore, cpuSeconds, cpuPerLine: cpuSeconds / count, coreShare: cpuWhileWriting / seconds}
}

/** Idle this long, the watch has nothing left to export: longer than it rests after any export here. */
const SETTLED_SECONDS = 8

/**
 * Waits until the watch is idle: the last line is exported after the quiet time and after the
 * rest that follows the export before it (idle too, so one idle second says nothing).
 */
async function settled(watch) {
  for (let [previous, idle] = [watch.cpuSeconds(), 0]; idle < SETTLED_SECONDS * 2; ) {
    await sleep(500)
    const now = watch.cpuSeconds()
    idle = now - previous < 0.02 ? idle + 1 : 0
    previous = now
  }
}

/** User prompts that continue the file's conversation, as Claude Code writes them. */
function prompts(file) {
  const {size} = statSync(file)
  const tail = Buffer.alloc(Math.min(size, TAIL_BYTES))
  const descriptor = openSync(file, 'r')
  readSync(descriptor, tail, 0, tail.length, size - tail.length)
  closeSync(descriptor)
  // The tail's first line may be cut; the last message is found from the end.
  let last = tail.toString('utf8').trimEnd().split('\n').slice(1).map((line) => JSON.parse(line)).findLast((record) => record.type === 'user' || record.type === 'assistant')
  return () => {
    last = {...last, message: {content: 'And then?', role: 'user'}, parentUuid: last.uuid, timestamp: new Date().toISOString(), type: 'user', uuid: randomUUID()}
    return `${JSON.stringify(last)}\n`
  }
}

async function startWatch({command, args, env, cwd}, extraEnv) {
  const child = spawn(command, args, {cwd, env: {...env, ...extraEnv}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)))
  const exited = new Promise((resolve) => child.on('close', resolve))
  const deadline = Date.now() + 10 * 60_000
  while (!stdout.includes('Watching for changes')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`watch did not start: ${stderr.trim() || stdout.trim()}`)
    await sleep(100)
  }

  return {
    sessions: Number(/(\d+) found/.exec(stdout)?.[1] ?? 0),
    cpuSeconds: () => processorSeconds(child.pid),
    // Each export is printed as `HH:MM:SS updated <file>`.
    exports: () => stdout.split('\n').filter((line) => /^\d\d:\d\d:\d\d updated /.test(line)).length,
    async stop() {
      child.kill('SIGINT')
      await exited
    },
  }
}

/** The folder's tree with every file linked, except `copied`, which are copies. */
function mirror(from, to, copied) {
  mkdirSync(to, {recursive: true})
  for (const entry of readdirSync(from, {withFileTypes: true})) {
    const [source, target] = [path.join(from, entry.name), path.join(to, entry.name)]
    if (entry.isDirectory()) mirror(source, target, copied)
    else if (copied.has(source)) copyFileSync(source, target)
    else {
      try {
        linkSync(source, target)
      } catch {
        copyFileSync(source, target)
      }
    }
  }
}

/** The session file of `folder` nearest `bytes` in size, other than `besides`; undefined when there is none. */
function closestInSize(folder, bytes, besides) {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl') && path.join(folder, name) !== besides)
    .map((name) => ({file: path.join(folder, name), size: statSync(path.join(folder, name)).size}))
  return files.sort((a, b) => Math.abs(a.size - bytes) - Math.abs(b.size - bytes))[0]?.file
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
