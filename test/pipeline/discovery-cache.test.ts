import {expect} from 'chai'
import {mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {DiscoveryCache} from '../../src/pipeline/discovery-cache.js'
import {tempDir} from '../helpers/cli.js'

describe('discovery cache', () => {
  const agent = 'claude'

  /** One run: looks up each key, learns what it did not know, saves under the run's roots. */
  async function run(cacheDir: string, roots: string[], keys: string[], builtBy = '1.0.0', whole = true): Promise<string[]> {
    const memo = await DiscoveryCache.load(cacheDir, agent, builtBy)
    const learned = keys.filter((key) => memo.get(key, '1:1') === undefined)
    for (const key of learned) memo.set(key, '1:1', {title: key})
    await memo.save(roots, {whole})
    return learned
  }

  /** Runs `action` with the clock `offsetMs` ahead. */
  async function later<T>(offsetMs: number, action: () => Promise<T>): Promise<T> {
    const now = Date.now
    Date.now = () => now() + offsetMs
    try {
      return await action()
    } finally {
      Date.now = now
    }
  }

  it('keeps what it learned of one set of data folders while another is used, and forgets the files gone', async () => {
    const cacheDir = tempDir()
    const [first, second] = [tempDir(), tempDir()]
    expect(await run(cacheDir, [first], ['a/1', 'a/2'])).to.deep.equal(['a/1', 'a/2'])
    expect(await run(cacheDir, [second], ['b/1'])).to.deep.equal(['b/1'])
    // Back on the first folder: nothing to look at again.
    expect(await run(cacheDir, [first], ['a/1', 'a/2'])).to.deep.equal([])
    // a/2 was deleted: dropped from its scope, the other scope untouched.
    expect(await run(cacheDir, [first], ['a/1'])).to.deep.equal([])
    const saved = JSON.parse(readFileSync(path.join(cacheDir, 'discovery', 'claude.json'), 'utf8'))
    expect(saved.scopes).to.deep.equal({[first]: {'a/1': {fingerprint: '1:1', value: {title: 'a/1'}}}, [second]: {'b/1': {fingerprint: '1:1', value: {title: 'b/1'}}}})
  })

  it('keeps the entries a discovery of a few files did not ask for, and adds what it learned, written at most every 30 s', async () => {
    const cacheDir = tempDir()
    const root = tempDir()
    const file = path.join(cacheDir, 'discovery', 'claude.json')
    const savedKeys = () => Object.keys(JSON.parse(readFileSync(file, 'utf8')).scopes[root])
    await run(cacheDir, [root], ['a/1', 'a/2'])
    expect(await run(cacheDir, [root], ['a/3'], '1.0.0', false)).to.deep.equal(['a/3'])
    // Written a moment ago: what the few files taught is kept for this process, not written yet.
    expect(savedKeys()).to.have.members(['a/1', 'a/2'])
    expect(await run(cacheDir, [root], ['a/3'], '1.0.0', false)).to.deep.equal([])
    expect(await later(31_000, () => run(cacheDir, [root], ['a/4'], '1.0.0', false))).to.deep.equal(['a/4'])

    expect(savedKeys()).to.have.members(['a/1', 'a/2', 'a/3', 'a/4'])
    // A whole discovery that no longer finds a/1 and a/2 forgets them, and is written at once.
    await run(cacheDir, [root], ['a/3', 'a/4'])
    expect(savedKeys()).to.have.members(['a/3', 'a/4'])
  })

  it('after a few files, waits longer to write a larger cache: at most 50 KB a second on average', async () => {
    const cacheDir = tempDir()
    const root = tempDir()
    const file = path.join(cacheDir, 'discovery', 'claude.json')
    const first = await DiscoveryCache.load(cacheDir, agent, '1.0.0')
    for (let index = 0; index < 2000; index++) first.set(`a/${index}`, '1:1', {title: 'x'.repeat(1000)})
    await first.save([root])
    // About 2 MB: 40 s or more at 50 KB a second, where a small cache waits 30 s.
    const seconds = statSync(file).size / 50_000
    expect(seconds).to.be.above(40)
    const fewFilesAt = async (offsetMs: number, key: string) => {
      await later(offsetMs, () => run(cacheDir, [root], [key], '1.0.0', false))
      return Object.keys(JSON.parse(readFileSync(file, 'utf8')).scopes[root]).includes(key)
    }

    expect(await fewFilesAt(31_000, 'b/1')).to.equal(false)
    expect(await fewFilesAt(seconds * 1000 + 1000, 'b/2')).to.equal(true)
  })

  it('keeps a file seen first under other data folders in the scope of the folders it is now found in', async () => {
    const cacheDir = tempDir()
    const [first, second] = [tempDir(), tempDir()]
    await run(cacheDir, [first], ['shared'])
    // Known from the first scope, so nothing new is learned: the second scope must still record it.
    expect(await run(cacheDir, [second], ['shared'])).to.deep.equal([])
    const saved = JSON.parse(readFileSync(path.join(cacheDir, 'discovery', 'claude.json'), 'utf8'))
    expect(saved.scopes[second]).to.deep.equal({shared: {fingerprint: '1:1', value: {title: 'shared'}}})
  })

  it('drops the scope of data folders that no longer exist', async () => {
    const cacheDir = tempDir()
    const gone = path.join(tempDir(), 'home')
    mkdirSync(gone)
    const kept = tempDir()
    // A scope of two folders, one of which goes: kept while the other is there.
    const [half, other] = [path.join(tempDir(), 'home'), tempDir()]
    mkdirSync(half)
    await run(cacheDir, [gone], ['x'])
    await run(cacheDir, [half, other], ['z'])
    rmSync(gone, {recursive: true})
    rmSync(half, {recursive: true})
    await run(cacheDir, [kept], ['y'])
    const saved = JSON.parse(readFileSync(path.join(cacheDir, 'discovery', 'claude.json'), 'utf8'))
    expect(Object.keys(saved.scopes).sort()).to.deep.equal([kept, [half, other].sort().join('\n')].sort())
  })

  it('writes nothing on a run that learned nothing and lost nothing', async () => {
    const cacheDir = tempDir()
    const root = tempDir()
    await run(cacheDir, [root], ['a'])
    const file = path.join(cacheDir, 'discovery', 'claude.json')
    writeFileSync(file, readFileSync(file, 'utf8').replace('"a"', '"a" '))
    await run(cacheDir, [root], ['a'])
    expect(readFileSync(file, 'utf8')).to.contain('"a" ')
  })

  it('starts empty from a corrupt file or one of an older format', async () => {
    for (const text of ['{not json', JSON.stringify({entries: {a: {fingerprint: '1:1', value: 1}}, version: 1})]) {
      const cacheDir = tempDir()
      mkdirSync(path.join(cacheDir, 'discovery'))
      writeFileSync(path.join(cacheDir, 'discovery', 'claude.json'), text)
      expect(await run(cacheDir, [tempDir()], ['a'])).to.deep.equal(['a'])
    }
  })

  it('trusts nothing another sessionsync version learned: a new one may read more of a file', async () => {
    const cacheDir = tempDir()
    const root = tempDir()
    await run(cacheDir, [root], ['a'], '1.0.0')
    expect(await run(cacheDir, [root], ['a'], '1.0.0')).to.deep.equal([])
    expect(await run(cacheDir, [root], ['a'], '1.1.0')).to.deep.equal(['a'])
    expect(await run(cacheDir, [root], ['a'], '1.1.0')).to.deep.equal([])
  })
})
