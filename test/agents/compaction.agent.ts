/**
 * Compaction, as each real agent does it: a session whose context the model reports nearly full
 * (OpenCode and Pi then compact by themselves) or that the user compacts (`claude -p /compact`),
 * then goes on. Its export must keep the whole conversation, with the compaction and its summary
 * where they happened. Run with `npm run test:agents`.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import type {Block, Session} from '../../src/model/session.js'
import {blocksOf} from '../helpers/session.js'
import {AGENTS} from './agents.js'
import {agentRuns, startRun} from './agent-runs.js'
import {type AgentRun, PROMPTS} from './driver.js'
import {describeExport, readSessions, sync} from './export.js'
import {TEXTS} from './scenario.js'

/** Where each thing happened, by its place among the session's blocks. */
function placeOf(session: Session, found: (block: Block) => boolean): number {
  return session.messages.flatMap((message) => message.blocks).findIndex(found)
}

describe('compaction with the real agents', function () {
  const runs = agentRuns('sessionsync-compaction-')

  for (const agent of AGENTS) {
    describe(agent.id, function () {
      let run: AgentRun

      before(async function () {
        const started = startRun(this, runs, agent)
        await started.step('compact', agent.newSession(PROMPTS.compact))
        if (agent.compactSession) await started.step('compact', agent.compactSession)
        await started.step('continue', agent.continueSession(PROMPTS.continue))
        run = started.run
      })

      it('keeps the whole conversation through a compaction, with the compaction and its summary where they happened', async function () {
        const exported = await sync(run, 'json')
        expect(exported.code, describeExport(exported)).to.equal(0)
        const roots = readSessions(exported).filter(({session}) => session.parentId === null)
        expect(roots, 'one session, compacted and continued').to.have.length(1)
        const {session} = roots[0]

        const place = {
          compactPrompt: placeOf(session, (block) => block.type === 'text' && block.text.includes(PROMPTS.compact)),
          resultBefore: placeOf(session, (block) => block.type === 'tool_result' && block.output.includes(TEXTS.compactShellOutput)),
          compaction: placeOf(session, (block) => block.type === 'event' && block.kind === 'compaction'),
          summary: placeOf(session, (block) => block.type === 'event' && block.kind === 'compaction_summary'),
          continuePrompt: placeOf(session, (block) => block.type === 'text' && block.text.includes(PROMPTS.continue)),
          resultAfter: placeOf(session, (block) => block.type === 'tool_result' && block.output.includes(TEXTS.continuedShellOutput)),
        }
        for (const [what, at] of Object.entries(place)) expect(at, `${what} in the export`).to.not.equal(-1)
        expect(Object.values(place), JSON.stringify(place)).to.deep.equal(Object.values(place).sort((a, b) => a - b))
        expect(blocksOf(session, 'event').filter((event) => event.kind === 'compaction_summary'), 'one summary').to.have.length(1)
        expect(blocksOf(session, 'event').find((event) => event.kind === 'compaction_summary')!.text.trim(), 'the summary the model wrote').to.not.equal('')
      })

      it('shows the compaction and its summary in Markdown, between what came before and after', async function () {
        const exported = await sync(run, 'markdown')
        expect(exported.code, describeExport(exported)).to.equal(0)
        expect(exported.files, 'one session').to.have.length(1)
        const text = readFileSync(path.join(exported.dir, exported.files[0]), 'utf8')
        const order = [TEXTS.compactShellOutput, '**Compaction**', '**Compaction summary**', TEXTS.continuedShellOutput].map((part) => text.indexOf(part))
        expect(order, `${order.join(', ')} in ${exported.files[0]}`).to.not.include(-1)
        expect(order).to.deep.equal([...order].sort((a, b) => a - b))
      })
    })
  }
})
