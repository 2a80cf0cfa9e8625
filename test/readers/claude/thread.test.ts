import {expect} from 'chai'
import {resumedThread} from '../../../plugins/reader-claude/src/thread.js'
import type {GraphNode} from '../../../plugins/reader-claude/src/transcript.js'

/** A graph of records in file order: [uuid, parent, type, timestamp]. */
function graph(records: Array<[string, string | null, string, string]>): Map<string, GraphNode> {
  return new Map(records.map(([uuid, parent, type, timestamp], order) => [uuid, {agentId: null, logicalParent: null, messageId: null, order, parent, goesBackTo: null, record: null, sidechain: false, timestamp, toolUseIds: [], type, uuid}]))
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

  it("finds a branch the user left by its last message, whatever record ends it; a record hanging off the thread, or off a branch before its end, makes none", () => {
    const t = (second: number) => `2026-03-02T09:00:${String(second).padStart(2, '0')}.000Z`
    const nodes = graph([
      ['u1', null, 'user', t(0)],
      ['a1', 'u1', 'assistant', t(1)],
      ['d1', 'a1', 'system', t(2)],
      // The branch left: its turn ends with a record of its time, and a hook hangs off its first reply.
      ['u2', 'd1', 'user', t(3)],
      ['a2', 'u2', 'assistant', t(4)],
      ['h2', 'a2', 'system', t(5)],
      ['a3', 'a2', 'assistant', t(6)],
      ['d3', 'a3', 'system', t(7)],
      ['d3b', 'a3', 'system', t(8)],
      // The thread, from the rewind on, with a hook hanging off it.
      ['u4', 'd1', 'user', t(9)],
      ['h4', 'u4', 'system', t(10)],
      ['a4', 'u4', 'assistant', t(11)],
      ['d4', 'a4', 'system', t(12)],
    ])
    expect(thread(nodes)).to.deep.equal(['u1', 'a1', 'd1', 'u4', 'a4', 'd4'])
    expect(resumedThread(nodes, () => true).abandonedLeaves).to.deep.equal(['d3b'])
    expect(thread(nodes, 'd3b')).to.deep.equal(['u1', 'a1', 'd1', 'u2', 'a2', 'a3', 'd3b'])
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
