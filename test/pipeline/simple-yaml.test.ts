import {expect} from 'chai'
import {parse, stringify} from 'yaml'
import {frontMatter} from '../../plugins/writer-markdown/src/front-matter.js'
import {yamlOf} from '../../plugins/writer-markdown/src/plain-yaml.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {NOT_SIMPLE, simpleYaml} from '../../src/pipeline/simple-yaml.js'
import {fixtureSession} from '../helpers/cli.js'
import {YAML_EDGE_STRINGS} from '../helpers/yaml-edges.js'

/** What the YAML library reads of `text`; undefined where it refuses the text. */
function libraryReading(text: string): unknown {
  try {
    return parse(text)
  } catch {
    return undefined
  }
}

/** Checks that `text` is read as the library reads it, or left to it; says whether it was read. */
function readAsTheLibraryDoes(text: string): boolean {
  const simple = simpleYaml(text)
  if (simple === NOT_SIMPLE) return false
  expect(simple, text).to.deep.equal(libraryReading(text))
  return true
}

const NUMBERS = [0, -0, 1, -7, 1.5, 0.0125, 120000, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, 2 ** 64]

/** YAML written by hand: every way out of the writer's shapes, and scalars at the edges of YAML's types. */
const HAND_WRITTEN = [
  'a: 1 # note', '# note\na: 1', 'a: +.5', 'a: -.5', 'a: .5', 'a: 1.', 'a: +1', 'a: 01', 'a: -0', 'a: 1e400', 'a: 1E+3', 'a: 0x1F', 'a: 0o17', 'a: 1_000',
  'a: .inf', 'a: -.Inf', 'a: .nan', 'a: ~', 'a: Null', 'a: TRUE', 'a: False', 'a: yes', 'a: 2026-03-02', 'a: 12:30', 'a: NaN', 'a: Infinity', 'a: +', 'a: -',
  'a: "x\\ty"', 'a: "x\\"y"', 'a: "x" ', "a: 'it''s'", "a: 'it's'", "a: ''", 'a: ""', 'a: [1, 2]', 'a: {b: 1}', 'a: &x 1\nb: *x', 'a: !!str 1', 'a: b: c',
  'a: |\n  b', 'a: >-\n  b\n  c', 'a:\n- b', 'a:\n  - b\n  c: 1', 'a:\n  c: 1\n  - b', 'a:\n    - b', 'a:\n  b:\n    c: 1', 'a:\n  -', 'a:\n  - ', 'a:\n  b:',
  'a: 1\na: 2', 'a:\n  b: 1\n  b: 2', '__proto__: 1', 'a:\n  __proto__: 1', 'null: 1', 'true: 1', 'a:\n  null: 1', 'a:', 'a: ', 'a:\n\nb: 1', 'a: x\n  continued',
  '', '\n', 'a: b\r\nc: d', 'a:\tb', 'a: b\u0085c', 'a: \ufeffb', '- a\n- b', 'just text', '"quoted key": 1', '? a\n: b', '---\na: 1', 'a: 1\n...', '%YAML 1.2\n---\na: 1',
  'a-b: 1', '_a: 1', 'a1: 1', 'a: C#', 'a: x:y', 'a: https://example.com/a?b=c#d', 'a: [x', 'a: x]', 'a: emoji 🙂', 'a: ünïcödé 日本', 'a: two  spaces', 'a: \u00a0b', 'a: 2.1.39', 'a: .gitignore', 'a: 1.2.3-beta', 'a: v1',
  'a: x\ty', 'a: x\t', 'a: "x\ty"', 'a: x\u0007y', 'a: "x\u0001"', "a: 'x\u001b'", 'a: x\u007fy', 'a: x\u2028y', 'a: x\u2029', 'a: \ufeff',
]

describe('simple YAML: front matter read without the library', () => {
  it('reads what the YAML library reads, from every edge of the strings and numbers the writer writes', () => {
    const values = [...YAML_EDGE_STRINGS, ...NUMBERS, true, false, null]
    const maps = values.flatMap((value) => [{value}, {list: [value, 'plain'], after: 1}, {map: {value, other: 1}, after: 'x'}, {map: {[String(value)]: 1}}, {[String(value)]: value}])
    let read = 0
    for (const map of maps) {
      for (const text of [yamlOf(map), stringify(map), stringify(map, {lineWidth: 0})]) if (readAsTheLibraryDoes(text)) read++
    }

    // Most of them are read here: a reader that left everything to the library would pass the rest.
    expect(read).to.be.above(maps.length)
  })

  it('reads YAML written by hand as the library does, or leaves it to the library', () => {
    const read = HAND_WRITTEN.filter((text) => readAsTheLibraryDoes(text))
    expect(read).to.include.members(['a: ~', 'a: yes', 'a: C#', 'a: x:y', 'a: 2.1.39', 'a: .gitignore', "a: 'it''s'", 'a: emoji 🙂', 'a-b: 1', 'a: -0', 'a: 1E+3'])
    // Read apart by YAML (a comment, a number in another notation, a key given twice), so left to the library.
    for (const text of ['a: 1 # note', 'a: +.5', 'a: 01', 'a: 0x1F', 'a: 1.', 'a: 1\na: 2', 'a: "x\\ty"', '__proto__: 1', '', 'a: \u00a0b']) expect(simpleYaml(text), text).to.equal(NOT_SIMPLE)
  })

  it('reads the front matter the Markdown writer writes for the fixtures', () => {
    for (const name of ['rich', 'subagent', 'empty']) {
      const session = {...fixtureSession(name), filesChanged: ['src/upload.ts', 'docs/a b.md'], title: `${name} 🙂: "quoted"`}
      const block = frontMatter(session, renderContext(() => null, countsOf(session))).slice('---\n'.length, -'---\n'.length)
      expect(readAsTheLibraryDoes(block), block).to.equal(true)
    }
  })
})
