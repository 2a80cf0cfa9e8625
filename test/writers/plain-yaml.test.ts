import {expect} from 'chai'
import {parse} from 'yaml'
import {libraryYamlOf, plainYamlOf, yamlOf} from '../../plugins/writer-markdown/src/plain-yaml.js'
import {fixtureSession} from '../helpers/cli.js'
import {YAML_EDGE_STRINGS as STRINGS} from '../helpers/yaml-edges.js'

const library = libraryYamlOf

describe('markdown writer: YAML of tool inputs and front matter', () => {
  it('writes every value exactly as the YAML library does', () => {
    const values: unknown[] = [
      ...STRINGS.map((value) => ({value})),
      ...STRINGS.map((value) => ({list: [value, 'plain']})),
      ...STRINGS.map((value) => ({map: {value, other: 1}})),
      // Lists of maps: a to-do list, the edits of one call.
      ...STRINGS.map((value) => ({edits: [{newText: 'plain', oldText: value}, {newText: value, oldText: 'x', replaceAll: true}], path: 'src/a.ts'})),
      {todos: [{activeForm: 'Fixing the test', content: 'Fix the test', status: 'in_progress'}, {content: 'Ship it', status: 'pending'}]},
      {items: [{}, {a: null}, {'odd key': 1}, {nested: {a: 1}}, {list: [1]}, 'plain', 3]}, {items: [{b: undefined, c: 1}]}, {items: [[1, 2]]},
      {command: 'npm test', timeout: 120000, background: false, ratio: 0.0125, none: null, skipped: undefined},
      {models: [], tokens: {}, nested: {deeper: {a: 1}}, mixed: [1, 'a', {b: 2}]},
      {'odd key': 1}, {'': 1}, {true: 1}, {'123': 1}, {big: 1e21}, {small: 1e-7}, {negative: -3}, {infinite: Number.POSITIVE_INFINITY},
      ['a', 'b'], 'a string', 42, null, {},
    ]
    for (const value of values) expect(yamlOf(value), JSON.stringify(value)).to.equal(library(value))
  })

  it('quotes what a YAML 1.1 reader would take for a boolean, a number or a date, so that every reader reads back the string', () => {
    const typed = ['y', 'N', 'yes', 'No', 'on', 'OFF', '<<', '=', '0b101', '017', '1_000', '0x_1F', '1:20', '-1:20:30.5', '1.5', '1_0.5', '.5e+3', '2026-03-02', '2026-3-2 10:00:00', '2026-03-02T10:00:00.000Z', '2026-03-02t10:00:00 +01:00']
    for (const value of typed) {
      for (const shape of [{value}, {list: [value]}, {map: {[value]: value}}, {title: value, text: 'a\nb', deep: {a: {b: [value]}}}]) {
        const yaml = yamlOf(shape)
        expect(parse(yaml, {version: '1.1'}), `${value} in ${yaml}`).to.deep.equal(shape)
        expect(parse(yaml), `${value} in ${yaml}`).to.deep.equal(shape)
      }
    }

    // What 1.1 types no more than 1.2 stays plain: versions, ids, words.
    for (const value of ['1.2.3', 'v1', 'yess', 'nope', '2026-03', '12:60', 'claude-sonnet-4-5']) expect(yamlOf({value})).to.equal(`value: ${value}\n`)
  })

  it("needs no library for the usual inputs of tools: commands, files, edits, an agent's to-do list", () => {
    const usual = [
      {command: 'npm test -- upload\necho done', description: 'Run the tests', timeout: 120000},
      {content: 'export const a = 1\n', file_path: 'src/a.ts'},
      {edits: [{newText: 'b', oldText: 'a\nc'}], path: 'src/a.ts'},
      {file_path: 'src/a.py', new_string: '    return "b"', old_string: '    return "a"'},
      {todos: [{activeForm: 'Fixing the test', content: 'Fix the test', status: 'in_progress'}, {activeForm: 'Shipping', content: 'Ship it', status: 'pending'}]},
    ]
    for (const value of usual) expect(plainYamlOf(value), JSON.stringify(value)).to.equal(library(value))
  })

  it('writes the front matter of the fixtures as the library does', () => {
    for (const name of ['rich', 'subagent', 'empty']) {
      const session = fixtureSession(name) as unknown as Record<string, unknown>
      const {messages: _messages, ...metadata} = session
      expect(yamlOf(metadata), name).to.equal(library(metadata))
    }
  })
})
