#!/usr/bin/env node
import module from 'node:module'
import {fileURLToPath} from 'node:url'
import {setFlagsFromString} from 'node:v8'

// Node 22.1 and later keep the compiled code of modules between runs (Node 20 has no such cache):
// most of a re-run with nothing to export is loading oclif, zod and the plugins. Enabled before
// anything else is imported, so that all of it is cached.
module.enableCompileCache?.()

const {unsupportedNode} = await import('../dist/node-version.js')
const unsupported = unsupportedNode(process.versions.node)
if (unsupported) {
  process.stderr.write(`${unsupported}\n`)
  process.exit(1)
}

const {routeToDefaultCommand} = await import('../dist/default-command.js')
const args = routeToDefaultCommand(process.argv.slice(2))
// A sync that found nothing to do last time, with nothing changed since, is answered from its
// record before oclif, zod or any plugin is loaded: that loading is most of such a run.
const {replayUnchangedRun} = await import('../dist/unchanged-run/replay.js')
if (!replayUnchangedRun(fileURLToPath(new URL('..', import.meta.url)), args)) {
  // V8 lets the heap grow up to 4× what is alive before collecting; an export allocates fast and
  // would take that licence. 1.6× keeps peak memory nearer what a run holds (a full export of the
  // bench corpus: 2.25× peaked at 283 MB, 1.6× at 240), in the same time: its marking runs on the
  // other core. Lower costs time (1.3×: 3% more).
  setFlagsFromString('--heap-growing-percent=60')
  // Every zod schema made from here on is compiled into a validator of its own at its first parse,
  // with the same results and messages: checking records and sessions took a tenth of a full export.
  await import('zod/compile')
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url, args})
}
