import {expect} from 'chai'
import {cpSync} from 'node:fs'
import path from 'node:path'
import type {Session} from '../../../src/model/session.js'
import {REPO, tempDir} from '../../helpers/cli.js'
import {readerContext} from '../../helpers/reader-context.js'
import {readAll} from './pi-home.js'
import {blocksOf, callEnds, callOutcomes} from '../../helpers/session.js'

/** Sessions a real Pi wrote for the conformance suite's scenarios (its samples): main, its fork, another. */
interface Samples {
  version: string
  /** The folder below test/agents/samples. */
  folder: string
  main: string
  fork: string
  other: string
  /** How long each call of the main session ran, in order, as Pi recorded it (1.x); null: not recorded (0.x). */
  durations: number[] | null
}

const SAMPLES: Samples[] = [
  {
    version: '0.73.1',
    folder: 'pi',
    main: '01a21140-da15-7500-8c8c-8509e1fe68d2',
    fork: '01a21140-dfc3-7749-881d-69f36c562b46',
    other: '01a21140-e280-737c-8a6c-a47741e5bc9d',
    durations: null,
  },
  {
    version: '1.6.0',
    folder: 'pi-1',
    main: '01a23569-3329-700a-954d-8b984c426211',
    fork: '01a23569-3caf-7489-93b7-4e6e5202b135',
    other: '01a23569-3fd9-77aa-90bb-185c2de5e1d8',
    durations: [48, 14, 5, 197, 3, 23, 46],
  },
]

for (const {version, folder, main: MAIN, fork: FORK, other: OTHER, durations} of SAMPLES) {
  describe(`Pi reader: sessions written by Pi ${version}`, () => {
    let sessions: Map<string, Session>

    before(async () => {
      const agentDir = tempDir('sessionsync-pi-real-')
      cpSync(path.join(REPO, 'test/agents/samples', folder, 'sessions'), path.join(agentDir, 'sessions'), {recursive: true})
      const ctx = readerContext({HOME: '/nonexistent-home', PI_CODING_AGENT_DIR: agentDir})
      sessions = await readAll(ctx)
      expect(ctx.warnings).to.deep.equal([])
    })

    it('reads every session', () => {
      expect([...sessions.keys()].sort()).to.deep.equal([MAIN, FORK, OTHER])
      for (const session of sessions.values()) expect(session.workspace).to.equal(`/tmp/conformance/${folder}/workspace`)
    })

    it('pairs every tool call of the main session with its result and error flag', () => {
      const main = sessions.get(MAIN)!
      expect(callOutcomes(main)).to.deep.equal([
        ['bash', false],
        ['read', false],
        ['read', true],
        ['read', false],
        ['write', false],
        ['bash', true],
        ['bash', false],
      ])
      expect(blocksOf(main, 'attachment')).to.have.length(1)
      expect(blocksOf(main, 'attachment')[0]).to.include({kind: 'image', mimeType: 'image/png'})
    })

    it('gives each reply its usage, with the cost 0 Pi records for a model it has no price for, and sums them for the session', () => {
      const main = sessions.get(MAIN)!
      const replies = main.messages.filter((message) => message.role === 'assistant')
      expect(replies.map((message) => message.usage)).to.deep.equal(replies.map(() => ({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, inputTokens: 120, outputTokens: 30, reasoningTokens: 0})))
      expect(main.messages.filter((message) => message.role !== 'assistant').every((message) => message.usage === null)).to.equal(true)
      expect(main.usage).to.deep.equal({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, inputTokens: 120 * replies.length, outputTokens: 30 * replies.length, reasoningTokens: 0})
    })

    it("gives each call how it ended: the failed command's exit code, from the line Pi ends its output with, and how long it ran where Pi recorded it", () => {
      const ends = callEnds(sessions.get(MAIN)!)
      expect(ends.filter(([, status]) => status !== 'ok').map(([name, status, exitCode]) => [name, status, exitCode])).to.deep.equal([['read', 'error', null], ['bash', 'error', 2]])
      expect(ends.every(([, status, exitCode]) => status !== 'ok' || exitCode === null)).to.equal(true, 'no exit code of a success')
      expect(ends.map(([, , , durationMs]) => durationMs)).to.deep.equal(durations ?? ends.map(() => null))
    })

    it('lists the file the session wrote', () => {
      expect(sessions.get(MAIN)?.filesChanged).to.deep.equal([`/tmp/conformance/${folder}/workspace/notes/written-by-agent.txt`])
      expect(sessions.get(OTHER)?.filesChanged).to.deep.equal([])
    })

    it('links the fork to the main session by the file name its header names, and counts the messages it copied', () => {
      const fork = sessions.get(FORK)!
      const main = sessions.get(MAIN)!
      expect(fork.forkedFrom).to.equal(MAIN)
      expect(main).to.include({copiedMessages: null, forkedFrom: null})
      expect(sessions.get(OTHER)).to.include({copiedMessages: null, forkedFrom: null})
      // The copies keep the main session's entry ids; the fork's own prompt comes right after them.
      expect(fork.copiedMessages).to.equal(main.messages.length)
      expect(fork.messages.slice(0, fork.copiedMessages!).map((message) => message.id)).to.deep.equal(main.messages.map((message) => message.id))
      expect(JSON.stringify(fork.messages[fork.copiedMessages!].blocks)).to.include('[[conformance:fork]]')
      // The file its copies wrote was the original's doing.
      expect(fork.filesChanged).to.deep.equal([])
      // Copies keep their usage: a sum over a history counts a fork's own part alone.
      expect(fork.messages.slice(0, fork.copiedMessages!).map((message) => message.usage)).to.deep.equal(main.messages.map((message) => message.usage))
    })
  })
}
