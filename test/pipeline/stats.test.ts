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
  it('shows its progress session by session, and a session that cannot be read costs only itself', async () => {
    const home = tempDir()
    for (const name of ['rich', 'subagent']) writeFileSync(path.join(home, `${name}.json`), JSON.stringify(fixtureSession(name)))
    const [example] = ((await registerExample()) as Contribution).readers!
    const failing: Reader = {...example, read: (ref, ctx) => (ref.id === fixtureSession('rich').id ? Promise.reject(new Error('locked')) : example.read(ref, ctx))}
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
    expect(progress).to.deep.equal([[0, 2, 'example'], [1, 2, 'example'], [2, 2, 'example']])
    expect(warnings).to.deep.equal([`example session ${fixtureSession('rich').id}: locked`])
    expect(costs.map((cost) => cost.id)).to.deep.equal([fixtureSession('subagent').id])
  })
})
