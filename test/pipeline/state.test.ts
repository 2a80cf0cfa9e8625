import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {cpSync} from 'node:fs'
import path from 'node:path'
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
})
