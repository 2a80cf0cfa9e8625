/**
 * OpenCode's undo (`/undo`, or a revert through its server, as its TUI does): the messages from a
 * user message on stay in the database, hidden, until the next prompt drops them. Driven here
 * through `opencode serve`'s HTTP API. Run with `npm run test:agents`.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import path from 'node:path'

import {expect} from 'chai'

import type {Session} from '../../src/model/session.js'
import {AGENTS} from './agents.js'
import {agentRuns, startRun} from './agent-runs.js'
import {type AgentRun, PROMPTS} from './driver.js'
import {describeExport, readSessions, sync} from './export.js'
import {TEXTS} from './scenario.js'

interface ServedMessage {
  info: {id: string; role: string}
}

/** `opencode serve` in the run's folders, and the address it says it listens on. */
async function serve(bin: string, run: AgentRun): Promise<{url: string; server: ChildProcess}> {
  const server = spawn(path.join(bin, 'opencode'), ['serve', '--port', '0'], {cwd: run.folders.workspace, env: run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
  const url = await new Promise<string>((resolve, reject) => {
    let printed = ''
    const timer = setTimeout(() => reject(new Error(`opencode serve did not say where it listens: ${printed}`)), 60_000)
    server.stdout!.on('data', (chunk) => {
      printed += chunk
      const found = /listening on (http:\/\/\S+)/.exec(printed)
      if (found) {
        clearTimeout(timer)
        resolve(found[1])
      }
    })
  })
  return {server, url}
}

/** The texts of the session in order: what was said, and the events by their kind. */
const said = (session: Session) => session.messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : block.type === 'event' ? [`(${block.kind})`] : [])))

describe('undo with the real agents', function () {
  const runs = agentRuns('sessionsync-undo-')

  for (const agent of AGENTS.filter((candidate) => candidate.name === 'opencode')) {
    it(`${agent.id}: keeps what was undone after a mark until the next prompt drops it`, async function () {
      const {bin, run, step} = startRun(this, runs, agent)
      await step('other', agent.newSession(PROMPTS.other))
      await step('continue', agent.continueSession(PROMPTS.continue))

      const {server, url} = await serve(bin, run)
      try {
        const [session] = (await (await fetch(`${url}/session`)).json()) as Array<{id: string}>
        const messages = (await (await fetch(`${url}/session/${session.id}/message`)).json()) as ServedMessage[]
        const lastPrompt = messages.findLast((message) => message.info.role === 'user')!
        const reverted = await fetch(`${url}/session/${session.id}/revert`, {body: JSON.stringify({messageID: lastPrompt.info.id}), headers: {'content-type': 'application/json'}, method: 'POST'})
        expect(reverted.status, await reverted.text()).to.equal(200)
      } finally {
        process.kill(-server.pid!, 'SIGKILL')
      }

      const undone = await sync(run, 'json')
      expect(undone.code, describeExport(undone)).to.equal(0)
      const before = said(readSessions(undone)[0].session)
      const mark = before.indexOf('(undo)')
      expect(mark, JSON.stringify(before)).to.be.greaterThan(before.indexOf(TEXTS.otherFinal))
      expect(before.slice(mark), 'what was undone, kept after the mark').to.include.members([PROMPTS.continue, TEXTS.continuedFinal])

      // The next prompt: OpenCode drops what was undone, and so does the export.
      await step('other', agent.continueSession(PROMPTS.other))
      const after = await sync(run, 'json')
      expect(after.code, describeExport(after)).to.equal(0)
      const texts = said(readSessions(after)[0].session)
      expect(texts, JSON.stringify(texts)).to.not.include.members(['(undo)'])
      expect(texts.filter((text) => text === PROMPTS.continue || text === TEXTS.continuedFinal), JSON.stringify(texts)).to.deep.equal([])
      expect(texts.filter((text) => text === TEXTS.otherFinal), 'the first answer and the new one').to.have.length(2)
    })
  }
})
