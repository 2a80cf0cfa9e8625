#!/usr/bin/env node
import module from 'node:module'
import {setFlagsFromString} from 'node:v8'

// Node 22.1 and later keep the compiled code of modules between runs (Node 20 has no such cache):
// most of a re-run with nothing to export is loading oclif, zod and the plugins. Enabled before
// anything else is imported, so that all of it is cached.
module.enableCompileCache?.()

// V8 lets the heap grow up to 4× what is alive before collecting; an export allocates fast and
// would take that licence. 2.25× keeps peak memory nearer what a run holds (a full export of the
// bench corpus: about 310 → 260 MB), at no cost in speed: its marking runs on the other core.
setFlagsFromString('--heap-growing-percent=125')

const {execute} = await import('@oclif/core/execute')
const {routeToDefaultCommand} = await import('../dist/default-command.js')
await execute({dir: import.meta.url, args: routeToDefaultCommand(process.argv.slice(2))})
