import {expect} from 'chai'
import {consoleLog, warningsOnce} from '../../src/sync-log.js'

/** A terminal that keeps what is written to it, and a clock the test moves. */
function terminal(isTTY = true) {
  const written: string[] = []
  let time = 10_000
  const log = consoleLog(false, {isTTY, write: (text: string) => written.push(text) > 0}, () => time)
  return {advance: (ms: number) => (time += ms), log, written}
}

describe('messages and progress on the terminal', () => {
  it('shows a search for sessions only once it has lasted a second, at most ten times a second, and clears it when done', () => {
    const {advance, log, written} = terminal()
    log.finding!(1, 'claude')
    advance(500)
    log.finding!(200, 'claude')
    expect(written, 'a quick search shows nothing').to.deep.equal([])
    advance(600)
    log.finding!(450, 'claude')
    advance(50)
    log.finding!(460, 'claude')
    advance(60)
    log.finding!(470, 'claude')
    log.finding!(null, 'claude')
    expect(written).to.deep.equal(['\r\u001B[Kclaude: looking for sessions, 450 found', '\r\u001B[Kclaude: looking for sessions, 470 found', '\r\u001B[K'])
  })

  it('starts counting again for the next agent, and clears nothing it did not draw', () => {
    const {advance, log, written} = terminal()
    log.finding!(1, 'claude')
    advance(1500)
    log.finding!(null, 'claude')
    log.finding!(1, 'pi')
    advance(500)
    log.finding!(9, 'pi')
    log.finding!(null, 'pi')
    expect(written).to.deep.equal([])
  })

  it('draws no progress where standard error is not a terminal', () => {
    const {advance, log, written} = terminal(false)
    log.finding!(1, 'claude')
    advance(2000)
    log.finding!(2, 'claude')
    log.progress!(1, 2, 'claude')
    expect(written).to.deep.equal([])
  })

  it('gives each warning once in a watch, and every other message each time', () => {
    const said: string[] = []
    const log = warningsOnce({debug: (message) => said.push(`debug ${message}`), info: (message) => said.push(`info ${message}`), warn: (message) => said.push(`warn ${message}`)})
    for (let pass = 0; pass < 3; pass++) {
      log.warn('a.jsonl:2: not valid JSON, line skipped')
      log.info('updated a.md')
    }

    log.warn('a.jsonl:9: not valid JSON, line skipped')
    expect(said).to.deep.equal(['warn a.jsonl:2: not valid JSON, line skipped', 'info updated a.md', 'info updated a.md', 'info updated a.md', 'warn a.jsonl:9: not valid JSON, line skipped'])
  })
})
