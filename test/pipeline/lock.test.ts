import {expect} from 'chai'
import {existsSync, mkdirSync, utimesSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import path from 'node:path'
import {withLock} from '../../src/pipeline/lock.js'
import {tempDir} from '../helpers/cli.js'

describe('the lock runs share while merging their records', () => {
  it('runs the task while holding the lock, and lets go of it after', async () => {
    const lock = path.join(tempDir(), '.sessionsync', 'state.lock')
    expect(await withLock(lock, async () => existsSync(lock))).to.equal(true)
    expect(existsSync(lock)).to.equal(false)
  })

  it('takes over a lock left by a process that died holding it', async () => {
    const lock = path.join(tempDir(), 'state.lock')
    mkdirSync(lock)
    const longAgo = new Date(Date.now() - 60_000)
    utimesSync(lock, longAgo, longAgo)
    expect(await withLock(lock, async () => 'done')).to.equal('done')
  })

  it('ends without an error when another process took its lock over meanwhile (it held it so long it looked dead)', async () => {
    const lock = path.join(tempDir(), 'state.lock')
    const result = await withLock(lock, async () => {
      await rm(lock, {recursive: true})
      return 'kept'
    })
    expect(result).to.equal('kept')
  })
})
