import {expect} from 'chai'
import {appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {discoverAgain, type Rediscovery} from '../../src/pipeline/discover.js'
import type {Reader, SessionRef} from '../../src/plugin-api.js'
import {tempDir} from '../helpers/cli.js'
import {readerContext} from '../helpers/reader-context.js'

/**
 * An agent that keeps each session as a file of lines: the first names the session, each
 * `subagent <id>` line one more session held in the same file.
 */
function lineAgent(root: string) {
  const calls = {whole: 0, files: [] as string[][]}
  const sessionsOf = (file: string): SessionRef[] => {
    const [title, ...rest] = readFileSync(file, 'utf8').trim().split('\n')
    const id = path.basename(file, '.txt')
    const ref = (refId: string, parentId: string | null): SessionRef => ({agent: 'lines', createdAt: null, fingerprint: `${readFileSync(file).length}`, gitBranches: [], id: refId, parentId, sizeBytes: 1, sourcePath: file, title, updatedAt: null, workspace: null})
    return [ref(id, null), ...rest.filter((line) => line.startsWith('subagent ')).map((line) => ref(line.slice('subagent '.length), id))]
  }

  const reader: Reader = {
    agent: 'lines',
    displayName: 'Lines',
    async *discover() {
      calls.whole++
      for (const name of readdirSync(root).sort()) yield* sessionsOf(path.join(root, name))
    },
    async *discoverFiles(files) {
      calls.files.push(files)
      for (const file of files) if (existsSync(file)) yield* sessionsOf(file)
    },
    locate: async () => [root],
    read: async () => {
      throw new Error('not read here')
    },
  }
  return {calls, reader}
}

describe('discovering again in watch', () => {
  let root: string
  const file = (name: string) => path.join(root, name)

  beforeEach(() => {
    root = tempDir()
    writeFileSync(file('a.txt'), 'Session a\n')
    writeFileSync(file('b.txt'), 'Session b\nsubagent b-1\n')
  })

  const said: string[] = []
  const again = async (reader: Reader, rediscovery: Rediscovery) => {
    const ctx = readerContext({})
    const {discovery, whole} = await discoverAgain(reader, ctx, rediscovery)
    said.push(...ctx.debugs)
    return {ids: discovery.refs.map((ref) => `${ref.id}:${ref.fingerprint}`), whole}
  }

  it('asks the reader about the files an agent wrote to alone, and keeps the other sessions as they were', async () => {
    const {calls, reader} = lineAgent(root)
    const last = new Map()
    expect((await again(reader, {changed: new Map(), last})).whole).to.equal(true)
    appendFileSync(file('b.txt'), 'subagent b-2\n')
    const result = await again(reader, {changed: new Map([[reader, new Set([file('b.txt')])]]), last})
    expect(result.whole).to.equal(false)
    expect(calls).to.deep.equal({files: [[file('b.txt')]], whole: 1})
    // b's sessions are described anew (new size), a's is the one kept; the new subagent comes last.
    expect(result.ids).to.deep.equal(['a:10', 'b:36', 'b-1:36', 'b-2:36'])
    // Under --verbose, each export of watch says which it was.
    expect(said.slice(-2)).to.deep.equal(['discovered every session again', 'discovered the sessions of 1 changed file alone'])
  })

  it('adds the sessions of a new file, asking about it alone', async () => {
    const {calls, reader} = lineAgent(root)
    const last = new Map()
    await again(reader, {changed: new Map(), last})
    writeFileSync(file('c.txt'), 'Session c\nsubagent c-1\n')
    expect(await again(reader, {changed: new Map([[reader, new Set([file('c.txt')])]]), last})).to.deep.equal({ids: ['a:10', 'b:23', 'b-1:23', 'c:23', 'c-1:23'], whole: false})
    expect(calls).to.deep.equal({files: [[file('c.txt')]], whole: 1})
  })

  it('discovers everything when a session is gone, or when a file holds a session another file holds, as a whole discovery would find', async () => {
    const {calls, reader} = lineAgent(root)
    const last = new Map()
    await again(reader, {changed: new Map(), last})
    // A subagent gone from a rewritten file, and a deleted file: another file may hold the same id.
    writeFileSync(file('b.txt'), 'Session b, rewritten\n')
    expect(await again(reader, {changed: new Map([[reader, new Set([file('b.txt')])]]), last})).to.deep.equal({ids: ['a:10', 'b:21'], whole: true})
    rmSync(file('a.txt'))
    expect(await again(reader, {changed: new Map([[reader, new Set([file('a.txt')])]]), last})).to.deep.equal({ids: ['b:21'], whole: true})
    // A new file holding a session b.txt holds (a fork that copied a subagent): the first file keeps it, as discover keeps the first.
    writeFileSync(file('b.txt'), 'Session b\nsubagent shared\n')
    await again(reader, {changed: new Map([[reader, new Set([file('b.txt')])]]), last})
    writeFileSync(file('c.txt'), 'Session c\nsubagent shared\n')
    expect(await again(reader, {changed: new Map([[reader, new Set([file('c.txt')])]]), last})).to.deep.equal({ids: ['b:26', 'shared:26', 'c:26'], whole: true})
    expect(calls.whole).to.equal(4)
  })

  it('discovers everything for a change outside its data folders, when anything may have changed, or when the reader cannot discover files alone', async () => {
    const {calls, reader} = lineAgent(root)
    const last = new Map()
    await again(reader, {changed: new Map(), last})
    expect((await again(reader, {changed: new Map([[reader, new Set([path.join(tempDir(), 'elsewhere.txt')])]]), last})).whole).to.equal(true)
    // A sibling folder whose name starts like the data folder's is still outside it.
    expect((await again(reader, {changed: new Map([[reader, new Set([`${root}-other/a.txt`])]]), last})).whole).to.equal(true)
    expect((await again(reader, {changed: new Map([[reader, null]]), last})).whole).to.equal(true)
    expect(calls.whole).to.equal(4)

    const {discoverFiles: _, ...withoutFiles} = reader
    const plain = {...withoutFiles} as Reader
    const plainLast = new Map()
    await again(plain, {changed: new Map(), last: plainLast})
    expect((await again(plain, {changed: new Map([[plain, new Set([file('b.txt')])]]), last: plainLast})).whole).to.equal(true)
    expect(calls.files).to.deep.equal([])
  })

  it('discovers everything after a discovery that failed', async () => {
    const {calls, reader} = lineAgent(root)
    const last = new Map()
    await again(reader, {changed: new Map(), last})
    const failing: Reader = {...reader, discoverFiles: () => ({[Symbol.asyncIterator]: () => ({next: () => Promise.reject(new Error('locked'))})})}
    const changed = new Map([[failing, new Set([file('a.txt')])]])
    last.set(failing, last.get(reader))
    let failure: unknown
    await again(failing, {changed, last}).catch((error: unknown) => (failure = error))
    expect(failure).to.be.an('error')
    expect(last.has(failing)).to.equal(false)
    expect((await again(failing, {changed, last})).whole).to.equal(true)
    expect(calls.whole).to.equal(2)
  })
})
