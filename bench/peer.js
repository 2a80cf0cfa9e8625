import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

export const CCUSAGE = 'ccusage@18.0.11'

/**
 * The peer tool, installed once into a cache folder (not a project dependency). Returns the
 * path of its executable script, or an error message.
 */
export function ensureCcusage(prefix, log) {
  const [name, version] = CCUSAGE.split('@')
  const packageDir = path.join(prefix, 'node_modules', name)
  const manifestFile = path.join(packageDir, 'package.json')
  const installed = () => existsSync(manifestFile) && JSON.parse(readFileSync(manifestFile, 'utf8')).version === version
  if (!installed()) {
    log(`peer: installing ${CCUSAGE} into ${prefix}`)
    const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', CCUSAGE], {encoding: 'utf8'})
    if (npm.status !== 0 || !installed()) return {error: `npm install ${CCUSAGE} failed (exit ${npm.status}): ${(npm.stderr ?? npm.error?.message ?? '').trim().split('\n').slice(-3).join(' ')}`}
  }

  const {bin} = JSON.parse(readFileSync(manifestFile, 'utf8'))
  return {script: path.join(packageDir, typeof bin === 'string' ? bin : bin[name])}
}
