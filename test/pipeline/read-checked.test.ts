import {expect} from 'chai'
import type {SessionRef} from '../../src/model/ref.js'
import type {Reader} from '../../src/plugin-api.js'
import {readChecked} from '../../src/pipeline/export-session.js'
import {fixtureSession} from '../helpers/cli.js'
import {readerContext} from '../helpers/reader-context.js'

const session = fixtureSession('rich')
const ref: SessionRef = {agent: 'example', createdAt: null, fingerprint: '1:1', gitBranches: [], id: session.id, parentId: null, sizeBytes: 1, sourcePath: '/s/rich.json', title: null, updatedAt: null, workspace: null}
const readerOf = (read: unknown): Reader => ({agent: 'example', discover: async function* () {}, displayName: 'Example', locate: async () => [], read: async () => read as never})

describe('readChecked', () => {
  it('gives the session the reader was asked for', async () => {
    expect(await readChecked(readerOf(session), ref, readerContext({}))).to.deep.equal({session})
  })

  it("refuses a session of another agent or id than the one asked for, which would be filed as that one", async () => {
    expect(await readChecked(readerOf({...session, agent: 'fakeagent'}), ref, readerContext({}))).to.deep.equal({error: `the reader returned session fakeagent/${session.id}, not the session asked for (example/${session.id})`})
    expect(await readChecked(readerOf({...session, id: 'another'}), ref, readerContext({}))).to.deep.equal({error: `the reader returned session example/another, not the session asked for (example/${session.id})`})
  })
})
