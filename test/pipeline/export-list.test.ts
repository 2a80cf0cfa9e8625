import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import type {SessionRef} from '../../src/model/ref.js'
import type {Session} from '../../src/model/session.js'
import type {Reader, Writer} from '../../src/plugin-api.js'
import {exportList} from '../../src/pipeline/export-list.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import type {PlannedSession} from '../../src/pipeline/plan.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'
import {readerContext} from '../helpers/reader-context.js'

const MB = 1024 * 1024
const content = {attachments: true, maxOutputChars: null, redact: false, thinking: true, tools: true}
/** An export of several MB: written through the thread pool, so that its write is still under way when the next session could be read. */
const writer: Writer = {displayName: 'Text', extension: 'txt', format: 'text', render: (session) => `${session.id}\n${'x'.repeat(4 * MB)}\n`}

function planned(id: string, sizeBytes: number): PlannedSession {
  const ref: SessionRef = {agent: 'example', createdAt: null, fingerprint: '1:1', gitBranches: [], id, parentId: null, sizeBytes, sourcePath: `/s/${id}.json`, title: null, updatedAt: null, workspace: null}
  return {file: `example/${id}.txt`, ref, status: 'missing'}
}

/** Exports the sessions; returns what happened, in order: each read started and each export done. */
async function exported(sessions: PlannedSession[], {stopAfter, reading}: {stopAfter?: string; reading?: (session: Session) => Promise<void>} = {}): Promise<{events: string[]; root: string}> {
  const stop = new AbortController()
  const events: string[] = []
  const reader: Reader = {
    agent: 'example',
    discover: async function* () {},
    displayName: 'Example',
    locate: async () => [],
    async read(ref) {
      events.push(`read ${ref.id}`)
      const session = {...fixtureSession('rich'), id: ref.id}
      await reading?.(session)
      return session
    },
  }
  const root = tempDir()
  await exportList(sessions, {ctx: readerContext({}), debug() {}, links: new Map(), options: {...content, writer}, output: new OutputFolder(root), reader, signal: stop.signal}, (session, outcome) => {
    expect(outcome).not.to.have.property('error')
    events.push(`done ${session.ref.id}`)
    if (session.ref.id === stopAfter) stop.abort()
  })
  return {events, root}
}

describe('exportList', () => {
  it('reads a large session only once the one before it is written, so that two are never held at once', async () => {
    const {events, root} = await exported([planned('first', 20 * MB), planned('second', 20 * MB), planned('small', 1000), planned('third', 20 * MB)])
    expect(events).to.deep.equal(['read first', 'done first', 'read second', 'done second', 'read small', 'done small', 'read third', 'done third'])
    expect(readFileSync(path.join(root, 'example/third.txt'), 'utf8')).to.match(/^third\n/)
  })

  it('holds nothing of a session once it is written, while the next is read', async () => {
    setFlagsFromString('--expose-gc')
    const collect = runInNewContext('gc') as () => void
    // A tool call's input is kept as the reader gave it (not copied by the model's check): while it lives, so does its session.
    let firstInput: WeakRef<object> | undefined
    let firstHeld: boolean | undefined
    await exported([planned('first', 20 * MB), planned('second', 20 * MB)], {
      async reading(session) {
        if (session.id === 'first') {
          const input = {command: 'npm test'}
          const call = session.messages[1].blocks[3]
          if (call.type !== 'tool_call') expect.fail('the fixture has a tool call there')
          session.messages[1].blocks[3] = {...call, input}
          firstInput = new WeakRef(input)
        } else {
          // A WeakRef holds its target until the task that made or read it ends.
          await new Promise((resolve) => setImmediate(resolve))
          collect()
          firstHeld = firstInput?.deref() !== undefined
        }
      },
    })
    expect(firstHeld).to.equal(false)
  })

  it('reads no session that waited for room once stopped (Ctrl-C): a large one could take seconds', async () => {
    const {events} = await exported([planned('first', 20 * MB), planned('second', 20 * MB)], {stopAfter: 'first'})
    expect(events).to.deep.equal(['read first', 'done first'])
  })

  it('reads small sessions ahead while others are written', async () => {
    const {events} = await exported([planned('a', 1000), planned('b', 1000), planned('c', 1000)])
    expect(events.indexOf('read b')).to.be.below(events.indexOf('done a'))
    expect(events.filter((event) => event.startsWith('done')).sort()).to.deep.equal(['done a', 'done b', 'done c'])
  })
})
