// Writes oclif.manifest.json with the oclif CLI (a dev dependency), without that CLI's check for a
// newer version of itself: the check reaches the npm registry at every build, and its warning
// ("oclif update available") names oclif 6, which needs Node 22.
import {spawnSync} from 'node:child_process'
import {createRequire} from 'node:module'

const oclif = createRequire(import.meta.url).resolve('oclif/bin/run.js')
const run = spawnSync(process.execPath, [oclif, 'manifest'], {stdio: 'inherit', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}})
process.exitCode = run.status ?? 1
