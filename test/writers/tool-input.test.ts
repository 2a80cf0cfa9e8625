import {expect} from 'chai'
import {stringify} from 'yaml'
import {toolInputYaml} from '../../plugins/writer-markdown/src/tool-input.js'

const library = (input: unknown) => stringify(input, {lineWidth: 0}).trimEnd()

describe('markdown writer: tool inputs as YAML', () => {
  it('writes plain inputs exactly as the YAML library does', () => {
    const inputs = [
      {file_path: '/home/dev/app/src/upload.ts'},
      {command: 'npm test', description: 'Run the tests', timeout: 120000},
      {pattern: 'TODO', path: 'src', output_mode: 'files_with_matches', head_limit: 20, multiline: false},
      {description: 'Find callers', prompt: 'Find every caller of upload(), then report.', subagent_type: 'general-purpose'},
      {url: 'https://example.com/docs', prompt: 'Summarise it'},
    ]
    for (const input of inputs) expect(toolInputYaml(input), JSON.stringify(input)).to.equal(library(input))
  })

  it('leaves everything that needs quoting, escaping or nesting to the library', () => {
    const inputs = [
      {command: "grep -n 'x' src/*.ts | head"},
      {value: 'yes'},
      {value: 'null'},
      {value: '1.5'},
      {value: '0x10'},
      {value: 'ends with a space '},
      {value: 'two  spaces'},
      {value: 'key: value'},
      {value: 'a # comment'},
      {value: ''},
      {value: 'line one\nline two'},
      {value: -3},
      {value: 1.5},
      {nested: {a: 1}},
      {list: ['a', 'b']},
      {'odd key': 'x'},
      {'': 'x'},
      {value: null},
      ['a', 'b'],
      {},
    ]
    for (const input of inputs) expect(toolInputYaml(input), JSON.stringify(input)).to.equal(library(input))
  })
})
