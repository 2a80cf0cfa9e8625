import {expect} from 'chai'
import {withOutputChecked} from '../src/output-checked-writer.js'
import type {Writer} from '../src/plugin-api.js'
import {countsOf} from '../src/pipeline/facts.js'
import {renderContext} from '../src/pipeline/rendering.js'
import {fixtureSession} from './helpers/cli.js'

const session = fixtureSession('empty')
const context = renderContext(() => null, countsOf(session))
const writer = (methods: Partial<Writer>): Writer => withOutputChecked({displayName: 'Broken', extension: 'txt', format: 'broken', render: () => 'text', ...methods}, 'sessionsync-plugin-broken')

describe('a writer whose output is checked', () => {
  it('passes text on as the plugin returned it, whole or in pieces', () => {
    expect(writer({}).render(session, context)).to.equal('text')
    expect([...writer({renderPieces: () => ['a', 'b']}).renderPieces!(session, context)]).to.deep.equal(['a', 'b'])
    expect(writer({}).renderPieces).to.equal(undefined)
  })

  it('fails with a message naming the plugin and what it returned, where text is due', () => {
    const broken = (render: () => unknown) => writer({render: render as () => string})
    expect(() => broken(() => undefined).render(session, context)).to.throw('the broken writer of plugin sessionsync-plugin-broken returned undefined from render, where text is due')
    expect(() => broken(() => 42).render(session, context)).to.throw('returned 42 from render')
    const pieces = (renderPieces: () => unknown) => () => [...writer({renderPieces: renderPieces as () => string[]}).renderPieces!(session, context)]
    expect(pieces(() => null)).to.throw('the broken writer of plugin sessionsync-plugin-broken returned null from renderPieces, where text is due')
    expect(pieces(() => ['a', 42])).to.throw('returned a piece 42 from renderPieces')
  })
})
