/**
 * The floor: the least any exporter must do with the corpus — read every session file and
 * JSON.parse each line, and parse the data of every row of the OpenCode database. Lines are read
 * the fastest plain way there is in Node (as the reader kit reads them): large synchronous reads
 * into one reused buffer, each line found with the buffer's native indexOf and decoded on its own.
 * A readline stream, the obvious way, takes more than twice as long, and would flatter every ratio
 * measured against it: `--readline` reads the lines so, for reference (a bare script as most
 * would write it).
 * Prints what it read as JSON.
 * Usage: node bench/floor.js <home> [--readline]
 */
import {closeSync, createReadStream, existsSync, openSync, readdirSync, readSync, statSync} from 'node:fs'
import path from 'node:path'
import {createInterface} from 'node:readline'
import Database from 'better-sqlite3'

const CHUNK_BYTES = 1024 * 1024
const NEWLINE = 0x0a
/** One chunk for every read: a new megabyte per file would make V8 collect more often. */
const chunk = Buffer.allocUnsafe(CHUNK_BYTES)

const home = process.argv[2]
// Synchronous unless asked for readline: an await per line would slow the floor itself.
const readTree = process.argv.includes('--readline') ? readJsonlTreeByReadline : readJsonlTree
const result = {}

result.claude = await readTree(path.join(home, '.claude', 'projects'))
result.pi = await readTree(path.join(home, '.pi', 'agent', 'sessions'))
result.opencode = readOpencode(path.join(home, '.local', 'share', 'opencode'))
process.stdout.write(`${JSON.stringify(result)}\n`)

function readJsonlTree(root) {
  const totals = newTotals()
  for (const file of jsonlFiles(root, totals)) for (const line of lines(file)) parseLine(line, totals)
  return finished(totals)
}

/** The lines of each file through a readline stream, the obvious way. */
async function readJsonlTreeByReadline(root) {
  const totals = newTotals()
  for (const file of jsonlFiles(root, totals)) for await (const line of createInterface({crlfDelay: Number.POSITIVE_INFINITY, input: createReadStream(file)})) parseLine(line, totals)
  return finished(totals)
}

function newTotals() {
  return {files: 0, lines: 0, bytes: 0, badLines: 0, started: performance.now()}
}

function finished({started, ...totals}) {
  return {...totals, seconds: (performance.now() - started) / 1000}
}

function parseLine(line, totals) {
  if (line === '') return
  totals.lines++
  try {
    JSON.parse(line)
  } catch {
    totals.badLines++
  }
}

function* lines(file) {
  const descriptor = openSync(file, 'r')
  let carried = []
  try {
    for (;;) {
      const length = readSync(descriptor, chunk, 0, CHUNK_BYTES, null)
      if (length === 0) break
      const filled = chunk.subarray(0, length)
      let start = 0
      for (let end = filled.indexOf(NEWLINE); end !== -1; end = filled.indexOf(NEWLINE, start)) {
        const line = carried.length > 0 ? Buffer.concat([...carried, filled.subarray(start, end)]) : filled.subarray(start, end)
        carried = []
        yield line.toString('utf8')
        start = end + 1
      }

      if (start < length) carried.push(Buffer.from(filled.subarray(start)))
    }

    if (carried.length > 0) yield Buffer.concat(carried).toString('utf8')
  } finally {
    closeSync(descriptor)
  }
}

/** Every JSON Lines file below `dir`, counted into `totals` with its size. */
function* jsonlFiles(dir, totals) {
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      yield* jsonlFiles(full, totals)
    } else if (entry.name.endsWith('.jsonl')) {
      totals.files++
      totals.bytes += statSync(full).size
      yield full
    }
  }
}

function readOpencode(dir) {
  const started = performance.now()
  const totals = {files: 0, rows: 0, bytes: 0, seconds: 0}
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => /^opencode.*\.db$/.test(n))) {
      totals.files++
      const db = new Database(path.join(dir, name), {readonly: true})
      for (const row of db.prepare('SELECT * FROM session').iterate()) totals.rows++
      for (const table of ['message', 'part']) {
        for (const {data} of db.prepare(`SELECT data FROM ${table}`).iterate()) {
          totals.rows++
          totals.bytes += data.length
          JSON.parse(data)
        }
      }

      db.close()
    }
  }

  totals.seconds = (performance.now() - started) / 1000
  return totals
}
