import {appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {type RunInput, stampInputs} from '../../src/unchanged-run/stamp.js'
import {tempDir} from '../helpers/cli.js'

describe('stamps of what a run depends on', () => {
  let root: string
  const file = (relative: string, text = 'x') => {
    mkdirSync(path.dirname(path.join(root, relative)), {recursive: true})
    writeFileSync(path.join(root, relative), text)
  }

  /** Whether the change alters the stamp of these inputs. */
  const changes = (inputs: RunInput[], change: () => void) => {
    const before = stampInputs(inputs)
    expect(stampInputs(inputs), 'a stamp taken twice').to.equal(before)
    change()
    return stampInputs(inputs) !== before
  }

  beforeEach(() => {
    root = tempDir()
    file('projects/a/one.jsonl')
    file('projects/a/one/subagents/agent-1.jsonl')
    file('projects/b/two.jsonl')
  })

  describe('a whole tree', () => {
    const tree = (): RunInput[] => [{path: path.join(root, 'projects'), scope: 'tree'}]
    it('changes with a line appended to a file deep inside', () => {
      expect(changes(tree(), () => appendFileSync(path.join(root, 'projects/a/one/subagents/agent-1.jsonl'), 'y'))).to.equal(true)
    })

    it('changes with a file added to a subfolder', () => {
      expect(changes(tree(), () => file('projects/a/one/subagents/agent-2.jsonl'))).to.equal(true)
    })

    it('changes with a file removed', () => {
      expect(changes(tree(), () => rmSync(path.join(root, 'projects/b/two.jsonl')))).to.equal(true)
    })

    it('changes when a path that was absent appears', () => {
      const absent: RunInput[] = [{path: path.join(root, 'pi/sessions'), scope: 'tree'}]
      expect(changes(absent, () => file('pi/sessions/s.jsonl'))).to.equal(true)
    })

    it('follows a symlinked folder, once: a link back up the tree does not loop', () => {
      symlinkSync(path.join(root, 'projects'), path.join(root, 'projects/a/loop'))
      expect(changes(tree(), () => appendFileSync(path.join(root, 'projects/b/two.jsonl'), 'y'))).to.equal(true)
    })
  })

  describe('folders only (the output folder)', () => {
    const folders = (): RunInput[] => [{path: path.join(root, 'projects'), scope: 'folders'}]
    it('does not change when a file is edited', () => {
      expect(changes(folders(), () => appendFileSync(path.join(root, 'projects/a/one/subagents/agent-1.jsonl'), 'y'))).to.equal(false)
    })

    it('changes when a file deep inside is deleted or added', () => {
      expect(changes(folders(), () => rmSync(path.join(root, 'projects/a/one/subagents/agent-1.jsonl')))).to.equal(true)
      expect(changes(folders(), () => file('projects/b/three.md'))).to.equal(true)
    })
  })

  describe('a listing', () => {
    const listing = (): RunInput[] => [{path: path.join(root, 'projects'), scope: 'listing'}]
    it('changes when a name is added, not when a subfolder changes', () => {
      expect(changes(listing(), () => file('projects/a/new.jsonl'))).to.equal(false)
      expect(changes(listing(), () => file('projects/opencode.db'))).to.equal(true)
    })
  })
})
