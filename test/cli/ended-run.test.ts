import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {WRITING_FOLDER} from '../../src/pipeline/writing-runs.js'
import {fixtureSession, REPO, runCli, sandbox, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('a run killed while it exports a large session (as one out of memory is)', () => {
  it('leaves its name behind, and the next run keeps what it wrote, exports every other session first, then that one, and tells how to give Node more memory', async () => {
    const {env, root} = await sandbox()
    const rich = fixtureSession('rich')
    const [first, ...rest] = rich.messages
    const [text, ...blocks] = first.blocks
    if (text.type !== 'text') expect.fail('the fixture begins with a text')
    // 9 MB: more than the sessions read together, so named in the mark while it is exported.
    const large = {...rich, id: '1a46e000-0000-4000-8000-000000000000', messages: [{...first, blocks: [{...text, text: 'x'.repeat(9 * 1024 * 1024)}, ...blocks]}, ...rest]}
    const small = ['5e551011-0000-4000-8000-000000000001', '5e551011-0000-4000-8000-000000000002'].map((id) => ({...rich, id}))
    writeExampleSessions(env, [small[0], large, small[1]], root)
    const output = path.join(root, 'out')
    const args = ['--agent', 'example', '-w', root, '-o', output, '--format', 'json']
    const named = () => {
      const marks = existsSync(path.join(output, WRITING_FOLDER)) ? readdirSync(path.join(output, WRITING_FOLDER)).filter((name) => name.endsWith('.json')) : []
      return marks.some((mark) => readFileSync(path.join(output, WRITING_FOLDER, mark), 'utf8').includes(large.id))
    }

    const killed = await runCli(args, {...env, EXAMPLE_READ_DELAY_MS: '1500'}, REPO, (child) => {
      const poll = setInterval(() => {
        if (!named()) return
        clearInterval(poll)
        // Nothing of the run hears this, as nothing hears V8 end a process out of memory.
        child.kill('SIGKILL')
      }, 10)
    })
    expect(killed.code).to.not.equal(0)
    expect(named(), 'the killed run left its mark').to.equal(true)
    expect(readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.json')), 'the session before it was written, not yet recorded').to.have.length(1)

    const next = await runCli(args, env)
    expect(next.code, next.stderr).to.equal(0)
    const stderr = unwrap(next.stderr)
    expect(stderr).to.contain(`1 export in ${output} was not in its state (written by a run that ended before it recorded them): indexed`)
    expect(stderr).to.match(new RegExp(`the last run into ${output} ended while it exported session ${large.id} \\(9\\.0 MB, .+\\): it was killed, or ran out of memory\\. That session is exported last this time\\. If the run ends in it again, give Node more memory than its \\d+ MB: NODE_OPTIONS=--max-old-space-size=\\d+ sessionsync`))
    const exports = readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.json'))
    const writtenLast = exports.sort((one, other) => statSync(path.join(output, 'example', one)).mtimeMs - statSync(path.join(output, 'example', other)).mtimeMs).at(-1)
    expect(writtenLast).to.contain(large.id.slice(0, 8))
    expect(next.stdout).to.match(/3 found, 3 written/)
    expect(existsSync(path.join(output, WRITING_FOLDER)), 'no mark is left').to.equal(false)
  })
})
