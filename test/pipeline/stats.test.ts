import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Contribution, Reader} from '../../src/plugin-api.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {planExports, type PlanOptions} from '../../src/pipeline/plan.js'
import {ExportState} from '../../src/pipeline/state.js'
import {measureCosts} from '../../src/pipeline/stats.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
// @ts-expect-error: the example plugin is plain JavaScript, like many third-party plugins
import registerExample from '../fixtures/plugins/sessionsync-plugin-example/register.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

describe('measureCosts', () => {
  it('shows its progress session by session, and a session that cannot be read, or is not the one asked for, costs only itself', async () => {
    const home = tempDir()
    for (const name of ['rich', 'subagent', 'empty']) writeFileSync(path.join(home, `${name}.json`), JSON.stringify(fixtureSession(name)))
    const [example] = ((await registerExample()) as Contribution).readers!
    const failing: Reader = {...example, async read(ref, ctx) {
      if (ref.id === fixtureSession('rich').id) throw new Error('locked')
      const session = await example.read(ref, ctx)
      return ref.id === fixtureSession('empty').id ? {...session, id: 'another'} : session
    }}
    const options: PlanOptions = {
      attachments: true, branch: null, cacheDir: null, env: {EXAMPLE_AGENT_HOME: home}, maxOutputChars: null, outputSalt: {core: '1.0.0', readers: {}, writer: 'a-writer@1.0.0'},
      readerOptions: {}, readers: [failing], redact: false, subagents: true, thinking: true, tools: true, workspaces: null, writer: jsonWriter,
    }
    const output = new OutputFolder(tempDir())
    const quiet = {debug() {}, info() {}, warn() {}}
    const plans = await planExports(options, await ExportState.load(output), output, quiet)
    const progress: Array<[number, number, string]> = []
    const warnings: string[] = []
    const costs = await measureCosts(plans, [jsonWriter], options, {progress: (done, total, agent) => progress.push([done, total, agent]), warn: (message) => warnings.push(message)})
    expect(progress).to.deep.equal([[0, 3, 'example'], [1, 3, 'example'], [2, 3, 'example'], [3, 3, 'example']])
    expect(warnings).to.have.members([
      `example session ${fixtureSession('rich').id}: locked`,
      `example session ${fixtureSession('empty').id}: the reader returned session example/another, not the session asked for (example/${fixtureSession('empty').id})`,
    ])
    expect(costs.map((cost) => cost.id)).to.deep.equal([fixtureSession('subagent').id])
  })
})
