import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Contribution, Reader} from '../../src/plugin-api.js'
import type {Log} from '../../src/pipeline/plan.js'
import {runSync, type SyncOptions} from '../../src/pipeline/sync.js'
import {WRITING_FOLDER} from '../../src/pipeline/writing-runs.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
// @ts-expect-error: the example plugin is plain JavaScript, like many third-party plugins
import registerExample from '../fixtures/plugins/sessionsync-plugin-example/register.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'
import {KILLED_RUN, leaveWritingMark} from '../helpers/writing-mark.js'

const MB = 1024 * 1024
const IDS = ['5e551011-0000-4000-8000-000000000001', '5e551011-0000-4000-8000-000000000002', '5e551011-0000-4000-8000-000000000003']

describe('a run that ended while it exported a session', () => {
  let home: string
  let output: string
  let reads: string[]
  let warnings: string[]
  let example: Reader
  const log: Log = {debug() {}, info() {}, warn: (message) => warnings.push(message)}

  /** The example agent as another agent, with the same sessions: for a run across two agents. */
  const asAgent = (agent: string, reader: Reader): Reader => ({
    ...reader,
    agent,
    async *discover(roots, ctx) {
      for await (const ref of reader.discover(roots, ctx)) yield {...ref, agent}
    },
    read: async (ref, ctx) => ({...(await reader.read(ref, ctx)), agent}),
  })
  /** Records each read as agent/id, and what the run's writing mark named meanwhile. */
  const recording = (reader: Reader, named: Map<string, string | undefined> = new Map()): Reader => ({
    ...reader,
    read(ref, ctx) {
      reads.push(`${ref.agent}/${ref.id}`)
      const [mark] = readdirSync(path.join(output, WRITING_FOLDER))
      named.set(ref.id, JSON.parse(readFileSync(path.join(output, WRITING_FOLDER, mark), 'utf8')).unfinished?.map(({id}: {id: string}) => id).join())
      return reader.read(ref, ctx)
    },
  })
  const options = (readers: Reader[]): SyncOptions => ({
    attachments: true, branch: null, cacheDir: null, env: {EXAMPLE_AGENT_HOME: home}, force: false, maxOutputChars: null, output,
    outputSalt: {core: '1.0.0', readers: {}, writer: '@sessionsync/writer-json@0.1.0'},
    readerOptions: {}, readers, redact: false, subagents: true, thinking: true, tools: true, workspaces: null, writer: jsonWriter,
  })
  /** The mark a run of this machine leaves when it is killed while it exports `agent/id`. */
  const leaveMarkOfKilledRun = (agent: string, ...ids: string[]) => {
    leaveWritingMark(output, KILLED_RUN, {unfinished: ids.map((id) => ({agent, bytes: 40 * MB, id, source: path.join(home, `${id}.json`)}))})
  }

  beforeEach(async () => {
    home = tempDir()
    output = tempDir()
    reads = []
    warnings = []
    for (const [index, id] of IDS.entries()) writeFileSync(path.join(home, `${index}.json`), JSON.stringify({...fixtureSession('rich'), id}))
    ;[example] = ((await registerExample()) as Contribution).readers!
  })

  it('exports that session after every other, of every agent, and tells why and how to give Node more memory', async () => {
    leaveMarkOfKilledRun('example', IDS[0])
    const report = await runSync(options([recording(example), recording(asAgent('second', example))]), log)
    expect(reads).to.deep.equal([`example/${IDS[1]}`, `example/${IDS[2]}`, ...IDS.map((id) => `second/${id}`), `example/${IDS[0]}`])
    expect(report.agents.map(({written}) => written)).to.deep.equal([3, 3])
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(new RegExp(`^Example Agent: the last run into ${output} ended while it exported session ${IDS[0]} \\(.+\\): it was killed, or ran out of memory\\. That session is exported last this time\\. If the run ends in it again, give Node more memory than its (\\d+) MB: NODE_OPTIONS=--max-old-space-size=\\d+ sessionsync$`))
    expect(existsSync(path.join(output, WRITING_FOLDER)), 'the mark of the killed run is gone').to.equal(false)
    // Told once: the next run finds no mark.
    warnings = []
    await runSync({...options([example]), force: true}, log)
    expect(warnings).to.deep.equal([])
  })

  it('keeps that session named through a run of other agents, for the next run of its agent', async () => {
    leaveMarkOfKilledRun('example', IDS[0])
    await runSync(options([recording(asAgent('second', example))]), log)
    expect(warnings, 'nothing to tell a run that does not read the session').to.deep.equal([])
    reads = []
    await runSync(options([recording(example)]), log)
    expect(reads).to.deep.equal([IDS[1], IDS[2], IDS[0]].map((id) => `example/${id}`))
    expect(warnings).to.have.length(1)
    expect(existsSync(path.join(output, WRITING_FOLDER))).to.equal(false)
  })

  it('tells of the sessions of one agent in one warning', async () => {
    leaveMarkOfKilledRun('example', IDS[0], IDS[2])
    await runSync(options([recording(example)]), log)
    expect(reads).to.deep.equal([IDS[1], IDS[0], IDS[2]].map((id) => `example/${id}`))
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(new RegExp(`ended while it exported sessions ${IDS[0]} \\(.+\\), ${IDS[2]} \\(.+\\): it was killed, or ran out of memory\\. Those sessions are exported last this time\\. If the run ends in one of them again, give Node more memory`))
  })

  it('says nothing of a session that is no longer to export', async () => {
    await runSync(options([example]), log)
    leaveMarkOfKilledRun('example', IDS[0])
    await runSync(options([recording(example)]), log)
    expect(reads).to.deep.equal([])
    expect(warnings).to.deep.equal([])
  })

  /** The example reader, with the second session as large as those that are read alone. */
  const withLargeSecond = (): Reader => ({
    ...example,
    async *discover(roots, ctx) {
      for await (const ref of example.discover(roots, ctx)) yield ref.id === IDS[1] ? {...ref, sizeBytes: 9 * MB} : ref
    },
  })

  it('names a large session in its mark while it exports it, and no small one', async () => {
    const named = new Map<string, string | undefined>()
    await runSync(options([recording(withLargeSecond(), named)]), log)
    expect(Object.fromEntries(named)).to.deep.equal({[IDS[0]]: undefined, [IDS[1]]: IDS[1], [IDS[2]]: undefined})
    expect(existsSync(path.join(output, WRITING_FOLDER))).to.equal(false)
  })

  it('after a run that ended, saves what it exported before each large session, where another end is likeliest', async () => {
    for (const runEnded of [false, true]) {
      output = tempDir()
      if (runEnded) leaveMarkOfKilledRun('example', 'a-session-since-gone')
      let recordedBeforeLarge: string[] = []
      const sized = withLargeSecond()
      const reader: Reader = {
        ...sized,
        read(ref, ctx) {
          if (ref.id === IDS[1]) {
            const state = path.join(output, '.sessionsync/state.json')
            recordedBeforeLarge = existsSync(state) ? Object.keys(JSON.parse(readFileSync(state, 'utf8')).sessions) : []
          }

          return sized.read(ref, ctx)
        },
      }
      await runSync(options([reader]), log)
      expect(recordedBeforeLarge, runEnded ? 'after a run that ended' : 'after runs that finished').to.deep.equal(runEnded ? [`example/${IDS[0]}`] : [])
    }
  })

  it('names on the session it took over until it is exported, so that a run ending in another forgets neither', async () => {
    leaveMarkOfKilledRun('example', IDS[0])
    const named = new Map<string, string | undefined>()
    await runSync(options([recording(withLargeSecond(), named)]), log)
    expect(Object.fromEntries(named)).to.deep.equal({[IDS[0]]: IDS[0], [IDS[1]]: `${IDS[0]},${IDS[1]}`, [IDS[2]]: IDS[0]})
  })
})
