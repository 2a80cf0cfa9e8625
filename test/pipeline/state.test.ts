import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {cpSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {conflictSides} from '../../src/pipeline/conflict-sides.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {ExportState, type SessionFacts, STATE_FILE} from '../../src/pipeline/state.js'
import {tempDir} from '../helpers/cli.js'
import {exportRecord, sessionFacts} from '../helpers/state.js'

/** The state file of `output` after recording these sessions' Markdown exports. */
async function stateWith(output: OutputFolder, sessions: SessionFacts[]): Promise<string> {
  const state = await ExportState.load(output)
  for (const facts of sessions) state.set(`claude/${facts.id}`, 'markdown', facts, exportRecord(`claude/${facts.id}.md`))
  await state.save(output)
  return output.resolve(STATE_FILE)
}

/** Two machines' folders, each a copy of the one state both started from. */
async function twoMachines(shared: SessionFacts[]): Promise<{base: string; ours: OutputFolder; theirs: OutputFolder}> {
  const base = await stateWith(new OutputFolder(tempDir()), shared)
  const [ours, theirs] = [tempDir(), tempDir()].map((root) => {
    cpSync(path.dirname(base), path.join(root, path.dirname(STATE_FILE)), {recursive: true})
    return new OutputFolder(root)
  })
  return {base, ours, theirs}
}

/** What `git merge` makes of the two machines' state files: the merged text, and whether it conflicted. */
function gitMerge(ours: string, base: string, theirs: string, style: 'diff3' | 'merge' = 'merge'): {clean: boolean; text: string} {
  const merged = spawnSync('git', ['merge-file', '-p', ...(style === 'diff3' ? ['--diff3'] : []), ours, base, theirs], {encoding: 'utf8'})
  if (merged.status === null || merged.status < 0) throw new Error(`git merge-file failed: ${merged.stderr}`)
  return {clean: merged.status === 0, text: merged.stdout}
}

describe('the state file', () => {
  it('is one session a line, by key, so that git merges the sessions two machines added', async () => {
    const {base, ours, theirs} = await twoMachines(['b0000001', 'd0000001', 'f0000001'].map((id) => sessionFacts(id)))
    const {clean, text} = gitMerge(await stateWith(ours, [sessionFacts('c0000001')]), base, await stateWith(theirs, [sessionFacts('e0000001'), sessionFacts('a0000001')]))
    expect(clean).to.equal(true)
    const merged = JSON.parse(text)
    expect(merged.version).to.equal(2)
    expect(Object.keys(merged.sessions)).to.deep.equal(['a0000001', 'b0000001', 'c0000001', 'd0000001', 'e0000001', 'f0000001'].map((id) => `claude/${id}`))
    expect(text.split('\n')).to.have.length(6 + 3)
  })

  describe('with the conflict markers of a merge git could not make', () => {
    /**
     * Both machines exported the same session since they parted (Markdown on ours, later; JSON
     * on theirs, and its Markdown earlier), and each its own new one next to it: git conflicts.
     */
    async function conflicted(style: 'diff3' | 'merge'): Promise<OutputFolder> {
      const {base, ours, theirs} = await twoMachines([sessionFacts('b0000001')])
      const oursFile = await stateWith(ours, [sessionFacts('c0000001')])
      const theirsState = await ExportState.load(theirs)
      theirsState.set('claude/b0000001', 'json', sessionFacts('b0000001', {messages: 6}), exportRecord('claude/b0000001.json', {exportedAt: '2026-11-21T09:00:00.000Z'}))
      theirsState.set('claude/b0000001', 'markdown', sessionFacts('b0000001', {messages: 6}), exportRecord('claude/b0000001.md', {bytes: 3000, exportedAt: '2026-11-21T09:00:00.000Z'}))
      theirsState.set('claude/c0000002', 'markdown', sessionFacts('c0000002'), exportRecord('claude/c0000002.md'))
      await theirsState.save(theirs)
      const oursState = await ExportState.load(ours)
      oursState.set('claude/b0000001', 'markdown', sessionFacts('b0000001', {messages: 8}), exportRecord('claude/b0000001.md', {bytes: 4000, exportedAt: '2026-11-22T09:00:00.000Z'}))
      oursState.noteSource('claude/b0000001', false, '2026-11-22T10:00:00.000Z')
      await oursState.save(ours)
      const {clean, text} = gitMerge(oursFile, base, theirs.resolve(STATE_FILE), style)
      expect(clean).to.equal(false)
      writeFileSync(oursFile, text)
      return ours
    }

    for (const style of ['merge', 'diff3'] as const) {
      it(`reads both sides, each session's latest exports and the facts of its latest (${style})`, async () => {
        const output = await conflicted(style)
        const state = await ExportState.load(output)
        expect(state.problem).to.equal(null)
        expect(state.note).to.contain('merge conflicts')
        expect([...state.all()].map(([key]) => key).sort()).to.deep.equal(['claude/b0000001', 'claude/c0000001', 'claude/c0000002'])
        const both = state.session('claude/b0000001')!
        expect(both.facts.messages).to.equal(8)
        expect(both.sourceGoneAt).to.equal('2026-11-22T10:00:00.000Z')
        expect(both.exports.markdown).to.include({bytes: 4000, exportedAt: '2026-11-22T09:00:00.000Z'})
        expect(both.exports.json).to.include({file: 'claude/b0000001.json'})
      })
    }

    it('writes the merged state back at the next save, though nothing new was recorded, and says so no more', async () => {
      const output = await conflicted('merge')
      const state = await ExportState.load(output)
      expect(state.unsaved).to.equal(true)
      await state.save(output)
      const text = readFileSync(output.resolve(STATE_FILE), 'utf8')
      expect(conflictSides(text)).to.equal(null)
      expect(Object.keys(JSON.parse(text).sessions)).to.have.length(3)
      const again = await ExportState.load(output)
      expect([again.note, again.unsaved]).to.deep.equal([null, false])
    })

    it('takes a file with markers out of order, or a side that is not a state, for corrupt', async () => {
      const output = new OutputFolder(tempDir())
      const file = await stateWith(output, [sessionFacts('a0000001')])
      const [head, ...sessions] = readFileSync(file, 'utf8').split('\n')
      for (const text of [[head, '=======', ...sessions], [head, '<<<<<<< HEAD', ...sessions], [head, '<<<<<<< HEAD', 'not JSON', '=======', ...sessions, '>>>>>>> theirs']]) {
        writeFileSync(file, text.join('\n'))
        expect((await ExportState.load(output)).problem).to.contain('corrupt')
      }
    })
  })
})

describe('a state saved by two syncs into one folder at once', () => {
  const key = 'claude/b0000001'

  /** The folder's state as another process saved it since `output`'s run loaded it: that run's own copy, put in place. */
  async function savedByAnotherRun(output: OutputFolder, facts: SessionFacts, exportedAt: string, fingerprint: string): Promise<void> {
    const copy = new OutputFolder(tempDir())
    cpSync(output.resolve(STATE_FILE), copy.resolve(STATE_FILE))
    const other = await ExportState.load(copy)
    other.set(key, 'markdown', facts, exportRecord(`${key}.md`, {exportedAt, fingerprint}))
    await other.save(copy)
    cpSync(copy.resolve(STATE_FILE), output.resolve(STATE_FILE))
  }

  it('names the export written last, though the run that wrote it saved first', async () => {
    const output = new OutputFolder(tempDir())
    await stateWith(output, [sessionFacts('b0000001')])
    const state = await ExportState.load(output)
    // This run read the session after a new reply and wrote its export first; the other run, which
    // had read it before the reply, wrote over it a second later, and saved first.
    state.set(key, 'markdown', sessionFacts('b0000001', {messages: 6}), exportRecord(`${key}.md`, {exportedAt: '2026-11-20T13:00:00.000Z', fingerprint: '2:2'}))
    await savedByAnotherRun(output, sessionFacts('b0000001', {messages: 4}), '2026-11-20T13:00:01.000Z', '1:1')
    await state.save(output)
    const saved = await ExportState.load(output)
    // The folder holds the export of the older source: the next sync finds it stale.
    expect(saved.get(key, 'markdown')).to.include({fingerprint: '1:1', exportedAt: '2026-11-20T13:00:01.000Z'})
    expect(saved.session(key)!.facts.messages).to.equal(4)
  })

  it("keeps this run's export over one the state held already, whatever its time (another machine's clock)", async () => {
    const output = new OutputFolder(tempDir())
    const state = await ExportState.load(output)
    state.set(key, 'markdown', sessionFacts('b0000001'), exportRecord(`${key}.md`, {exportedAt: '2026-11-21T12:00:00.000Z', fingerprint: '1:1'}))
    await state.save(output)
    const next = await ExportState.load(output)
    next.set(key, 'markdown', sessionFacts('b0000001', {messages: 6}), exportRecord(`${key}.md`, {exportedAt: '2026-11-20T12:00:00.000Z', fingerprint: '2:2'}))
    await next.save(output)
    expect((await ExportState.load(output)).get(key, 'markdown')).to.include({fingerprint: '2:2'})
  })
})

describe('the sides of a file with conflict markers', () => {
  it('are the file as each side had it, around the conflicts, without the common ancestor', () => {
    const text = ['same\n', '<<<<<<< HEAD\n', 'ours\r\n', '||||||| base\n', 'base\n', '=======\n', 'theirs\n', '>>>>>>> main\n', 'end'].join('')
    expect(conflictSides(text)).to.deep.equal(['same\nours\r\nend', 'same\ntheirs\nend'])
    expect(conflictSides('no conflict\n')).to.equal(null)
    expect(conflictSides('<<<<<<< HEAD\nours\n=======\ntheirs\n')).to.equal(null)
  })
})
