import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {writeClaudeSession} from './claude.js'
import {OpencodeStore} from './opencode.js'
import {writePiSession} from './pi.js'
import {Random} from './random.js'
import {TextSource} from './text.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const DAY = 86_400_000
const FIRST_DAY = Date.UTC(2026, 9, 26)
// Where the bytes and the sessions are, as in real histories: Claude Code holds most of both.
const SHARES = {claude: {bytes: 0.8, sessions: 0.6}, pi: {bytes: 0.1, sessions: 0.2}, opencode: {bytes: 0.1, sessions: 0.2}}

/**
 * The corpus for these parameters: reused when it was generated before (same parameters and
 * same generator code), generated otherwise. Returns its manifest.
 */
export function ensureCorpus({root, mb, sessions, seed, log}) {
  const key = createHash('sha256').update(JSON.stringify({mb, sessions, seed, code: generatorHash()})).digest('hex').slice(0, 10)
  const prefix = `${mb}mb-${sessions}s-seed${seed}-`
  const dir = path.join(root, prefix + key)
  const manifestFile = path.join(dir, 'manifest.json')
  if (existsSync(manifestFile)) {
    log(`corpus: reusing ${dir}`)
    return JSON.parse(readFileSync(manifestFile, 'utf8'))
  }

  // Same parameters but an older generator (or an interrupted run): not worth keeping.
  if (existsSync(root)) for (const name of readdirSync(root)) if (name.startsWith(prefix)) rmSync(path.join(root, name), {recursive: true, force: true})
  log(`corpus: generating ${mb} MB, ${sessions} sessions in ${dir}`)
  const started = Date.now()
  const manifest = generate({dir, mb, sessions, seed, log})
  manifest.generationSeconds = (Date.now() - started) / 1000
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`)
  log(`corpus: done in ${manifest.generationSeconds.toFixed(1)} s`)
  return manifest
}

function generatorHash() {
  const hash = createHash('sha256')
  for (const name of readdirSync(HERE).sort()) hash.update(name).update(readFileSync(path.join(HERE, name)))
  return hash.digest('hex')
}

function generate({dir, mb, sessions, seed, log}) {
  const home = path.join(dir, 'home')
  const workspace = path.join(dir, 'workspace')
  mkdirSync(home, {recursive: true})
  mkdirSync(path.join(workspace, 'src'), {recursive: true})
  writeFileSync(path.join(workspace, 'README.md'), '# bench workspace\n')
  // A repository, so the branch of agents that record none can be read at export time.
  spawnSync('git', ['init', '-q', '-b', 'main', workspace], {stdio: 'ignore'})

  const random = new Random(seed)
  const text = new TextSource(random.fork('text'))
  const plan = planSessions(random.fork('plan'), mb * 1e6, sessions)
  const stats = {claude: agentStats(), pi: agentStats(), opencode: agentStats()}
  const largest = {bytes: 0, file: null}
  const total = plan.length
  let done = 0
  let nextReport = 0.1

  const note = (agent, item, written, files) => {
    const s = stats[agent]
    s.sessions++
    s.planned += item.bytes
    s.bytes += written.bytes
    s.largestSession = Math.max(s.largestSession, written.bytes)
    s.files += files.length
    done++
    if (done / total >= nextReport) {
      log(`corpus: ${Math.round((done / total) * 100)}% of sessions`)
      nextReport += 0.1
    }
  }

  // A session ends after the turn that reached its size, so each overshoots a little: later
  // sessions are made smaller by what the earlier ones wrote too much, to keep the total.
  const adjusted = (agent, item) => Math.max(item.bytes * 0.3, item.bytes - (stats[agent].bytes - stats[agent].planned))
  for (const item of plan.filter((p) => p.agent === 'claude')) {
    const written = writeClaudeSession({random: random.fork(`claude${item.index}`), text, home, cwd: workspace, targetBytes: adjusted('claude', item), startMs: item.startMs})
    if (written.mainBytes > largest.bytes) Object.assign(largest, {bytes: written.mainBytes, file: written.file})
    note('claude', item, written, written.files)
  }

  for (const item of plan.filter((p) => p.agent === 'pi')) {
    const written = writePiSession({random: random.fork(`pi${item.index}`), text, home, cwd: workspace, targetBytes: adjusted('pi', item), startMs: item.startMs})
    if (written.bytes > largest.bytes) Object.assign(largest, {bytes: written.bytes, file: written.file})
    note('pi', item, written, written.files)
  }

  const store = new OpencodeStore(home, random.fork('opencode'), workspace)
  for (const item of plan.filter((p) => p.agent === 'opencode')) {
    note('opencode', item, store.writeSession({random: random.fork(`opencode${item.index}`), text, cwd: workspace, targetBytes: adjusted('opencode', item), startMs: item.startMs}), [])
  }

  store.close()
  stats.opencode.files = 1
  return {
    params: {mb, sessions, seed},
    dir,
    home,
    workspace,
    claudeConfigDir: path.join(home, '.claude'),
    opencodeDb: store.file,
    agents: stats,
    totalBytes: stats.claude.bytes + stats.pi.bytes + stats.opencode.bytes,
    largestSessionFile: largest,
  }
}

function agentStats() {
  return {sessions: 0, bytes: 0, planned: 0, files: 0, largestSession: 0}
}

/**
 * Very large sessions, as heavy users have: Claude Code's three (50+ MB each at the default size),
 * and OpenCode's one (about 20 MB, with dozens of subagents).
 */
const LARGE = {claude: {count: 3, share: 0.13}, opencode: {count: 1, share: 0.04}}

/**
 * Who gets which size: a few very large sessions (see `LARGE`), the rest log-normal (many small
 * ones, a long tail), start times over four weeks.
 */
export function planSessions(random, totalBytes, totalSessions) {
  const counts = {claude: Math.max(1, Math.round(totalSessions * SHARES.claude.sessions)), pi: Math.max(1, Math.round(totalSessions * SHARES.pi.sessions))}
  counts.opencode = Math.max(1, totalSessions - counts.claude - counts.pi)
  const plan = []
  for (const agent of ['claude', 'pi', 'opencode']) {
    let budget = totalBytes * SHARES[agent].bytes
    let count = counts[agent]
    const sizes = []
    const large = LARGE[agent]
    if (large && count >= 2 * large.count) {
      const big = totalBytes * large.share
      for (let i = 0; i < large.count; i++) sizes.push(big)
      budget -= large.count * big
      count -= large.count
    }

    const weights = Array.from({length: count}, () => random.logNormal(0, 1.2))
    const sum = weights.reduce((a, b) => a + b, 0)
    // Capped below the very large ones, so those stay the largest sessions.
    const cap = sizes.length > 0 ? sizes[0] / 2 : Infinity
    for (const weight of weights) sizes.push(Math.min(cap, Math.max(3000, (budget * weight) / sum)))
    sizes.forEach((bytes, index) => plan.push({agent, index, bytes, startMs: FIRST_DAY + Math.floor(random.next() * 28 * DAY)}))
  }

  return plan
}
