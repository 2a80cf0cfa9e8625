import {expect} from 'chai'
import {resumedThread} from '../../../plugins/reader-claude/src/thread.js'
import type {GraphNode} from '../../../plugins/reader-claude/src/transcript.js'

/** A graph of records in file order: [uuid, parent, type, timestamp]. */
function graph(records: Array<[string, string | null, string, string]>): Map<string, GraphNode> {
  return new Map(records.map(([uuid, parent, type, timestamp], order) => [uuid, {agentId: null, logicalParent: null, messageId: null, order, parent, record: null, sidechain: false, timestamp, toolUseIds: [], type, uuid}]))
}

const thread = (nodes: Map<string, GraphNode>, leaf: string | null = null) => resumedThread(nodes, () => true, leaf).nodes.map((node) => node.uuid)

describe('Claude Code reader: the thread of a transcript', () => {
  it('ends at the last leaf in the file, as Claude Code picks it, whatever the clocks said', () => {
    // The branch written last carries an older time (a clock set back): the file's order wins.
    const nodes = graph([
      ['u1', null, 'user', '2026-03-02T09:00:00.000Z'],
      ['a1', 'u1', 'assistant', '2026-03-02T09:00:01.000Z'],
      ['u2', 'a1', 'user', '2026-03-02T10:00:00.000Z'],
      ['u3', 'a1', 'user', '2026-03-02T08:00:00.000Z'],
    ])
    expect(thread(nodes)).to.deep.equal(['u1', 'a1', 'u3'])
    expect(resumedThread(nodes, () => true).abandonedLeaves).to.deep.equal(['u2'])
    // A branch is read from its own leaf.
    expect(thread(nodes, 'u2')).to.deep.equal(['u1', 'a1', 'u2'])
  })

  it('passes over a last leaf whose links reach no turn', () => {
    const nodes = graph([
      ['u1', null, 'user', '2026-03-02T09:00:00.000Z'],
      ['a1', 'u1', 'assistant', '2026-03-02T09:00:01.000Z'],
      ['s1', null, 'system', '2026-03-02T09:00:02.000Z'],
    ])
    expect(thread(nodes)).to.deep.equal(['u1', 'a1'])
  })
})
