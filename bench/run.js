#!/usr/bin/env node
/**
 * npm run bench: generates (or reuses) a synthetic corpus of Claude Code, Pi and OpenCode
 * sessions, then measures side by side the floor (read and parse everything), sessionsync's
 * full export in each format, a no-change re-run, a run whose state was lost, list, and the peer
 * ccusage. Prints a table and writes bench/results.json.
 *
 * Options (flags win over environment): --mb N (BENCH_MB, default 500), --sessions N
 * (BENCH_SESSIONS, default 4 per MB), --seed N (BENCH_SEED, 1), --repeat N (BENCH_REPEAT, 3:
 * each step runs N times; its median time and median peak are reported), --timeout S (BENCH_TIMEOUT, 1800 per
 * command), --quick (20 MB, one run each), --keep-output. Peak RSS comes from /usr/bin/time -v, or
 * from polling /proc where it is missing (or when BENCH_NO_GNU_TIME is set). BENCH_CLI: the
 * sessionsync entry script to measure (default bin/run.js of this repository).
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {ensureCorpus} from './corpus/index.js'
import {measure, memoryMethod} from './measure.js'
import {CCUSAGE, ensureCcusage} from './peer.js'
import {printReport, ratios} from './report.js'
import {measureWatch} from './watch.js'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.dirname(BENCH)
// BENCH_CLI measures another build of the CLI (a released version, a branch) on the same corpus.
const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.join(REPO, 'bin', 'run.js')
const log = (message) => process.stderr.write(`${message}\n`)

const options = parseOptions(process.argv.slice(2), process.env)
const corpus = ensureCorpus({root: path.join(BENCH, '.corpus'), mb: options.mb, sessions: options.sessions, seed: options.seed, log})
const peer = ensureCcusage(path.join(BENCH, '.peer'), log)
const outRoot = mkdtempSync(path.join(os.tmpdir(), 'sessionsync-bench-'))
// The floor writes nothing: an export into RAM shows how much of the gap is the disk.
const ramRoot = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/sessionsync-bench-') : null

// The agents' data is found through HOME alone: variables that would point elsewhere are dropped.
const env = {...process.env, HOME: corpus.home}
for (const name of ['CLAUDE_CONFIG_DIR', 'XDG_DATA_HOME', 'PI_CODING_AGENT_DIR', 'OPENCODE_DB']) delete env[name]
const node = process.execPath
// Each run gets its own cache folder, so a first export is measured cold; the re-run and the
// list of an export share the markdown export's, as they would on a user's machine.
const cacheDir = (cache) => path.join(outRoot, `cache-${cache}`)
const cli = (cache, ...args) => ({command: node, args: [CLI, ...args], env: {...env, SESSIONSYNC_CACHE_DIR: cacheDir(cache)}, cwd: REPO})
// A full export starts each repetition from nothing: no export, no discovery cache (see setAside).
const sync = (output, format, ...extra) => ({...cli(output, 'sync', '--workspace', corpus.workspace, '--output', path.resolve(outRoot, output), '--format', format, ...extra), fresh: [path.resolve(outRoot, output), cacheDir(output)]})
const all = corpus.totalBytes
const claude = corpus.agents.claude.bytes

const steps = [
  {id: 'floor', label: 'floor: read + JSON.parse all', bytes: all, inspect: inspectFloor, command: node, args: [path.join(BENCH, 'floor.js'), corpus.home], env, cwd: REPO},
  // The same, its lines read through readline as a bare script most often reads them: for reference.
  {id: 'floorReadline', label: 'floor, lines read by readline', bytes: all, inspect: inspectFloor, command: node, args: [path.join(BENCH, 'floor.js'), corpus.home, '--readline'], env, cwd: REPO},
  {id: 'baseline', label: 'sessionsync --version (startup)', bytes: null, ...cli('baseline', '--version')},
  {id: 'markdown', label: 'sync --format markdown', bytes: all, output: 'markdown', takesTurns: true, ...sync('markdown', 'markdown')},
  ramRoot
    ? {id: 'markdownRam', label: 'sync --format markdown into RAM', bytes: all, output: path.join(ramRoot, 'markdown'), takesTurns: true, ...sync(path.join(ramRoot, 'markdown'), 'markdown')}
    : {id: 'markdownRam', label: 'sync --format markdown into RAM', bytes: all, skipped: 'no /dev/shm'},
  {id: 'json', label: 'sync --format json', bytes: all, output: 'json', takesTurns: true, ...sync('json', 'json')},
  {id: 'toon', label: 'sync --format toon', bytes: all, output: 'toon', takesTurns: true, ...sync('toon', 'toon')},
  // Right after a full export, the same run is answered from the record that export left.
  {id: 'rerun', label: 'sync markdown, no change', bytes: all, output: 'markdown', ...sync('markdown', 'markdown'), fresh: []},
  // Without that record (a reader that does not name its inputs, --branch): every session checked.
  {id: 'rerunChecked', label: 'sync markdown, no change, no record', bytes: all, output: 'markdown', ...sync('markdown', 'markdown'), fresh: [path.join(cacheDir('markdown'), 'runs')]},
  // Its state lost (deleted, or left out of git): each export there is taken back, then written again.
  {id: 'stateLost', label: 'sync markdown, its state lost', bytes: all, output: 'stateLost', ...sync('stateLost', 'markdown'), prepare: () => withoutState(path.join(outRoot, 'markdown'), path.join(outRoot, 'stateLost'))},
  largestAlone(),
  {id: 'claude', label: 'sync --agent claude (markdown)', bytes: claude, output: 'claude', ...sync('claude', 'markdown', '--agent', 'claude')},
  {id: 'list', label: 'list (first run)', bytes: all, inspect: inspectList, fresh: [cacheDir('list')], ...cli('list', 'list', '--workspace', corpus.workspace)},
  {id: 'listExported', label: 'list (of the markdown export)', bytes: all, inspect: inspectList, ...cli('markdown', 'list', '--workspace', corpus.workspace, '--output', path.join(outRoot, 'markdown'))},
  // Every session read and searched for a word of the generated text: what a search costs at most.
  {id: 'search', label: 'search (every session)', bytes: all, inspect: inspectSearch, ...cli('markdown', 'search', 'timeout', '--workspace', corpus.workspace, '--output', path.join(outRoot, 'markdown'))},
  // Tokenizing every format of the whole corpus would take minutes: Pi's part stands for the rest.
  // Counted once: a token count does not vary, and its time is not a target.
  {id: 'stats', label: 'stats --agent pi (tokens)', bytes: corpus.agents.pi.bytes, inspect: inspectStats, repeat: 1, ...cli('stats', 'stats', '--agent', 'pi', '--workspace', corpus.workspace, '--json')},
  peer.error
    ? {id: 'ccusage', label: `${CCUSAGE} daily`, bytes: claude, skipped: peer.error}
    : {id: 'ccusage', label: `${CCUSAGE} daily`, bytes: claude, inspect: inspectCcusage, command: node, args: [peer.script, 'daily', '--json', '--offline'], env: {...env, CLAUDE_CONFIG_DIR: corpus.claudeConfigDir}, cwd: REPO},
]

const samplesOf = new Map(steps.map((step) => [step.id, []]))
const rounds = (step) => (step.skipped ? 0 : (step.repeat ?? options.repeat))
const runRound = async (step, round) => {
  for (const folder of step.fresh ?? []) setAside(folder, round)
  step.prepare?.()
  // The kernel is still writing the last run's files to disk: each run starts once it is done.
  spawnSync('sync')
  samplesOf.get(step.id).push(await measure({...step, timeoutSeconds: options.timeout}))
}

// The full exports take turns, a run of each format per round: this disk gets slower as the
// runs' exports pile up on it, and formats measured one after the other each met another disk
// (JSON and TOON, measured last, looked 1 s slower than Markdown; taking turns, they are not).
const turns = steps.filter((step) => step.takesTurns)
for (const step of steps) {
  if (step === turns[0]) {
    for (let round = 0; round < options.repeat; round++) {
      for (const turn of turns.filter((each) => round < rounds(each))) {
        log(`run: ${turn.label} (round ${round + 1})`)
        await runRound(turn, round)
      }
    }
  } else if (!step.takesTurns) {
    log(`run: ${step.label}`)
    for (let round = 0; round < rounds(step); round++) await runRound(step, round)
  }
}

// Once: what it measures is processor time over a minute of appends, not a run's time.
log('run: watch while Claude Code sessions are written')
const watch = await measureWatch({cli, corpus, env, log, output: path.join(outRoot, 'watch')})

const runs = []
for (const step of steps) {
  const samples = samplesOf.get(step.id)
  const result = step.skipped ? {exitCode: null, seconds: null, cpuSeconds: null, peakRssBytes: null, stdout: '', stderrTail: step.skipped} : median(samples)
  const inspect = step.output ? inspectSync : (step.inspect ?? (() => ({})))
  const seen = result.exitCode === 0 || step.output ? inspect(result.stdout) : {}
  // A run that found nothing to do measured nothing: its time says nothing about the work.
  // sync exits 1 when a session failed or warned but still exports the rest: that counts.
  const finished = result.exitCode === 0 || (step.output !== undefined && result.exitCode === 1 && seen.detail?.found > 0)
  const valid = finished && seen.empty !== true
  runs.push({
    id: step.id,
    label: step.label,
    command: step.command ? [path.relative(REPO, step.command) || step.command, ...step.args.map((arg) => arg.replace(REPO + path.sep, ''))].join(' ') : null,
    exitCode: result.exitCode,
    ok: result.exitCode === 0,
    valid,
    timedOut: result.timedOut ?? false,
    seconds: result.seconds,
    cpuSeconds: result.cpuSeconds,
    samples: samples.map((sample) => ({seconds: sample.seconds, cpuSeconds: sample.cpuSeconds, peakRssBytes: sample.peakRssBytes, exitCode: sample.exitCode})),
    inputBytes: step.bytes,
    mbPerSecond: step.bytes && valid ? step.bytes / 1e6 / result.seconds : null,
    peakRssBytes: result.peakRssBytes,
    note: seen.note ?? null,
    detail: seen.detail ?? null,
    output: step.output ? folderSize(path.resolve(outRoot, step.output)) : null,
    stdoutTail: result.stdout.trim().split('\n').slice(-6).join('\n').slice(-2000),
    stderrTail: result.stderrTail,
  })
}

const results = {
  date: new Date().toISOString(),
  machine: {node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryBytes: os.totalmem(), memoryMethod},
  params: {mb: options.mb, sessions: options.sessions, seed: options.seed, repeat: options.repeat},
  corpus: {
    dir: corpus.dir,
    workspace: corpus.workspace,
    totalBytes: corpus.totalBytes,
    agents: corpus.agents,
    largestSessionFile: corpus.largestSessionFile,
    generationSeconds: corpus.generationSeconds,
  },
  runs,
  watch,
}
results.ratios = ratios(results)
printReport(results)
writeFileSync(path.join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
log(`\nresults: ${path.join(BENCH, 'results.json')}`)
if (options.keepOutput) log(`exports kept in ${outRoot}`)
else rmSync(outRoot, {recursive: true, force: true})
if (ramRoot) rmSync(ramRoot, {recursive: true, force: true})

/** A copy of an export without its state file, as a folder whose state was deleted is. */
function withoutState(from, to) {
  cpSync(from, to, {recursive: true})
  rmSync(path.join(to, '.sessionsync', 'state.json'))
}

/**
 * Clears a folder for the next run. Deleting the last run's 250 MB just before a run slowed that
 * run by 0.3-0.7 s of 5 s, more with each run in a row, on a disk mounted with `discard`, whose
 * freed blocks the kernel trims meanwhile: a user's export does not follow such a deletion. On disk
 * the folder is moved aside, to be deleted with the rest at the end; in RAM there is nothing to trim.
 */
function setAside(folder, round) {
  if (!existsSync(folder)) return
  if (ramRoot && folder.startsWith(ramRoot)) rmSync(folder, {recursive: true, force: true})
  else renameSync(folder, `${folder}.run-${round}`)
}

/**
 * The run of median time, with the median of the runs' peaks and of their processor times: time
 * and memory each vary on their own (a collection a few milliseconds earlier or later moves the
 * peak by megabytes), so the peak of the run of median time would be any one of them. A failed
 * run, if any, instead, so that a failure is never hidden behind a good median. Virtual machines
 * vary by 10-20% from run to run.
 */
function median(samples) {
  const failed = samples.find((sample) => sample.exitCode !== 0 && sample.exitCode !== 1)
  if (failed) return failed
  const middle = (values) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]
  const seconds = middle(samples.map((sample) => sample.seconds))
  const ownMiddle = (values) => (values.includes(null) ? null : middle(values))
  return {...samples.find((sample) => sample.seconds === seconds), peakRssBytes: ownMiddle(samples.map((sample) => sample.peakRssBytes)), cpuSeconds: ownMiddle(samples.map((sample) => sample.cpuSeconds))}
}

/** The largest session exported on its own: the memory one session costs, without the others. */
function largestAlone() {
  const {file, bytes} = corpus.largestSessionFile
  const label = 'sync the largest session alone'
  if (!file.includes(`${path.sep}.claude${path.sep}projects${path.sep}`)) return {id: 'largest', label, bytes, skipped: 'the largest session is not a Claude Code file'}
  const config = path.join(outRoot, 'largest-config')
  mkdirSync(path.join(config, 'projects', 'largest'), {recursive: true})
  copyFileSync(file, path.join(config, 'projects', 'largest', path.basename(file)))
  const step = sync('largest', 'markdown', '--agent', 'claude')
  return {...step, id: 'largest', label, bytes, output: 'largest', env: {...step.env, CLAUDE_CONFIG_DIR: config}}
}

function parseOptions(argv, environment) {
  const flag = (name) => {
    const index = argv.indexOf(`--${name}`)
    return index === -1 ? undefined : argv[index + 1]
  }
  const number = (value, fallback) => (value === undefined || value === '' || Number.isNaN(Number(value)) ? fallback : Number(value))
  if (argv.includes('--help')) {
    log('usage: node bench/run.js [--quick] [--mb N] [--sessions N] [--seed N] [--repeat N] [--timeout SECONDS] [--keep-output]\nenvironment: BENCH_MB, BENCH_SESSIONS, BENCH_SEED, BENCH_REPEAT, BENCH_TIMEOUT')
    process.exit(0)
  }

  const mb = number(flag('mb'), number(environment.BENCH_MB, argv.includes('--quick') ? 20 : 500))
  return {
    mb,
    sessions: Math.round(number(flag('sessions'), number(environment.BENCH_SESSIONS, Math.max(20, mb * 4)))),
    seed: number(flag('seed'), number(environment.BENCH_SEED, 1)),
    repeat: Math.max(1, Math.round(number(flag('repeat'), number(environment.BENCH_REPEAT, argv.includes('--quick') ? 1 : 3)))),
    timeout: number(flag('timeout'), number(environment.BENCH_TIMEOUT, 1800)),
    keepOutput: argv.includes('--keep-output'),
  }
}

/** Files and bytes under a folder (what an export wrote). */
function folderSize(dir) {
  const totals = {files: 0, bytes: 0}
  const walk = (current) => {
    let entries
    try {
      entries = readdirSync(current, {withFileTypes: true})
    } catch {
      return
    }

    for (const entry of entries) {
      const full = path.join(current, entry.name)
      if (entry.isDirectory()) walk(full)
      else {
        totals.files++
        totals.bytes += statSync(full).size
      }
    }
  }

  walk(dir)
  return totals
}

/** What sync said it did, summed over agents: "3 found, 2 written, 1 up to date". */
function inspectSync(stdout) {
  const sum = (word) => [...stdout.matchAll(new RegExp(`(\\d+) ${word}`, 'g'))].reduce((total, match) => total + Number(match[1]), 0)
  const detail = {found: sum('found'), written: sum('written'), upToDate: sum('up to date'), failed: sum('failed'), warnings: sum('warnings?')}
  if (detail.found === 0) return {empty: true, note: 'NO SESSIONS FOUND', detail}
  const problems = detail.failed + detail.warnings > 0 ? `, ${detail.failed} failed, ${detail.warnings} warnings` : ''
  return {note: `${detail.found} found, ${detail.written} written, ${detail.upToDate} up to date${problems}`, detail}
}

function inspectList(stdout) {
  if (/no sessions found/i.test(stdout)) return {empty: true, note: 'NO SESSIONS FOUND'}
  return {note: `${stdout.trim().split('\n').length} lines listed`}
}

/** Its last line: `N matches in M sessions (K searched).` (only the end of the output is kept). */
function inspectSearch(stdout) {
  const summary = stdout.trim().split('\n').at(-1)
  return {note: /^[\d,]+ match/.test(summary) ? summary : 'unreadable output'}
}

function inspectFloor(stdout) {
  const detail = parseJson(stdout)
  if (!detail) return {note: 'unreadable output'}
  return {note: `${detail.claude.lines + detail.pi.lines} lines, ${detail.opencode.rows} rows`, detail}
}

/** Tokens of each format, against the JSON export of the same sessions. */
function inspectStats(stdout) {
  // Only the end of a long output is kept; the totals are its last object.
  const total = parseJson(/"total": (\{[\s\S]*\})\s*\}\s*$/.exec(stdout)?.[1] ?? '')
  if (!total?.json) return {note: 'unreadable output'}
  const share = (format) => `${format} ${(total[format].tokens / 1e6).toFixed(2)} M (${Math.round((total[format].tokens / total.json.tokens - 1) * 100)}%)`
  return {note: ['json', 'toon', 'markdown', 'markdown-lean', 'text'].filter((format) => total[format]).map((format) => (format === 'json' ? `json ${(total.json.tokens / 1e6).toFixed(2)} M` : share(format))).join(', '), detail: total}
}

/** ccusage prints its totals last; only the tail of its output is kept. */
function inspectCcusage(stdout) {
  const tokens = /"totalTokens": (\d+)\s*}\s*}\s*$/.exec(stdout)
  if (!tokens) return {note: 'no totals'}
  return {empty: Number(tokens[1]) === 0, note: `${(Number(tokens[1]) / 1e6).toFixed(1)} M tokens in total`}
}

function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
