/**
 * The floor: the least any exporter must do with the corpus — read every session file line by
 * line (the same readline stream the reader kit uses) and JSON.parse each line, and parse the
 * data of every row of the OpenCode database. Prints what it read as JSON.
 * Usage: node bench/floor.js <home>
 */
import {createReadStream, existsSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {createInterface} from 'node:readline'
import Database from 'better-sqlite3'

const home = process.argv[2]
const result = {}

result.claude = await readJsonlTree(path.join(home, '.claude', 'projects'))
result.pi = await readJsonlTree(path.join(home, '.pi', 'agent', 'sessions'))
result.opencode = readOpencode(path.join(home, '.local', 'share', 'opencode'))
process.stdout.write(`${JSON.stringify(result)}\n`)

async function readJsonlTree(root) {
  const started = performance.now()
  const totals = {files: 0, lines: 0, bytes: 0, badLines: 0, seconds: 0}
  for (const file of jsonlFiles(root)) {
    totals.files++
    totals.bytes += statSync(file).size
    const stream = createReadStream(file, {encoding: 'utf8'})
    for await (const line of createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY})) {
      if (line === '') continue
      totals.lines++
      try {
        JSON.parse(line)
      } catch {
        totals.badLines++
      }
    }
  }

  totals.seconds = (performance.now() - started) / 1000
  return totals
}

function* jsonlFiles(dir) {
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* jsonlFiles(full)
    else if (entry.name.endsWith('.jsonl')) yield full
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
