/**
 * Text that looks like what coding sessions hold (prose, source code, command output), built
 * from pools of lines made once per generator so that megabytes of it cost little time.
 */
const WORDS = `the a to of and in is it that for on with as this be are by from or an at not can but
we you if will should when which then so need file function test build error value type module
config data request response server client user session output input path line code change update
fix add remove check run return import export default async await promise string number object
array index cache state event handler router component props render query schema model token stream
buffer parse format write read merge branch commit diff patch review deploy release version package
dependency install lint compile bundle worker thread process memory timeout retry fallback warning
database table column migration record field key map list set queue job task log trace debug metric`
  .split(/\s+/)
  .filter(Boolean)

const IDENTIFIERS = `user session config result items options payload handler context cache entry
record total count index buffer stream reader writer parser token value key path file output input
request response server client logger state props event error retries timeout limit offset`
  .split(/\s+/)
  .filter(Boolean)

const MODULES = ['api', 'auth', 'db', 'http', 'queue', 'cache', 'sync', 'worker', 'router', 'store']
const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR']
const EXTENSIONS = ['ts', 'ts', 'tsx', 'js', 'json', 'md', 'py', 'go', 'css', 'yaml']
const DIRS = ['src', 'src/lib', 'src/api', 'src/components', 'test', 'scripts', 'docs', 'packages/core/src']

export class TextSource {
  constructor(random) {
    this.random = random
    this.proseLines = Array.from({length: 2048}, () => this.sentence())
    this.codeLines = Array.from({length: 4096}, () => this.codeLine())
    this.logLines = Array.from({length: 4096}, () => this.logLine())
  }

  sentence() {
    const r = this.random
    const words = Array.from({length: r.int(6, 24)}, () => r.pick(WORDS))
    words[0] = words[0][0].toUpperCase() + words[0].slice(1)
    return `${words.join(' ')}${r.pick(['.', '.', '.', '?', ':'])}`
  }

  codeLine() {
    const r = this.random
    const indent = '  '.repeat(r.int(0, 4))
    const a = r.pick(IDENTIFIERS)
    const b = r.pick(IDENTIFIERS)
    const c = r.pick(IDENTIFIERS)
    switch (r.int(0, 7)) {
      case 0: return `${indent}const ${a} = await ${b}.${r.pick(WORDS)}(${c}, ${r.int(0, 500)})`
      case 1: return `${indent}if (!${a}.${b}) return ${c}`
      case 2: return `${indent}export function ${a}${capital(b)}(${c}: ${capital(r.pick(IDENTIFIERS))}): ${capital(a)} {`
      case 3: return `${indent}}`
      case 4: return `${indent}// ${this.proseLine()}`
      case 5: return `${indent}${a}.${b} = ${c}.${r.pick(IDENTIFIERS)} ?? ${JSON.stringify(r.pick(WORDS))}`
      case 6: return `${indent}for (const ${a} of ${b}) ${c}.push(${a})`
      default: return `${indent}import {${a}, ${b}} from './${r.pick(IDENTIFIERS)}.js'`
    }
  }

  logLine() {
    const r = this.random
    const time = `2026-11-${String(r.int(1, 24)).padStart(2, '0')}T${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}.${String(r.int(0, 999)).padStart(3, '0')}Z`
    switch (r.int(0, 3)) {
      case 0: return `${time} ${r.pick(LEVELS).padEnd(5)} [${r.pick(MODULES)}] ${this.proseLine()}`
      case 1: return `  ✓ ${this.proseLine().slice(0, 60)} (${r.int(1, 900)}ms)`
      case 2: return `${this.filePath()}:${r.int(1, 400)}:${r.int(1, 80)} - ${r.pick(['error', 'warning'])} TS${r.int(1000, 7000)}: ${this.proseLine()}`
      default: return `${r.pick(['GET', 'POST', 'PUT'])} /${r.pick(MODULES)}/${r.pick(IDENTIFIERS)} ${r.pick([200, 200, 201, 304, 404, 500])} ${r.int(1, 2000)}ms`
    }
  }

  proseLine() {
    return this.random.pick(this.proseLines)
  }

  filePath() {
    const r = this.random
    return `${r.pick(DIRS)}/${r.pick(IDENTIFIERS)}-${r.pick(IDENTIFIERS)}.${r.pick(EXTENSIONS)}`
  }

  /** A few sentences: prompts, answers, thinking. */
  prose(sentences) {
    const out = []
    for (let i = 0; i < sentences; i++) out.push(this.proseLine())
    return out.join(' ')
  }

  /** Markdown-ish answer of about `chars` characters, with a code block now and then. */
  answer(chars) {
    const out = []
    let size = 0
    while (size < chars) {
      const piece = this.random.chance(0.15) ? `\`\`\`ts\n${this.code(this.random.int(120, 600))}\n\`\`\`` : this.prose(this.random.int(1, 5))
      out.push(piece)
      size += piece.length + 2
    }
    return out.join('\n\n')
  }

  /** Source code of about `chars` characters. */
  code(chars) {
    return this.fill(this.codeLines, chars)
  }

  /** Command output (logs, test runs, compiler errors) of about `chars` characters. */
  log(chars) {
    return this.fill(this.logLines, chars)
  }

  fill(pool, chars) {
    const out = []
    let size = 0
    while (size < chars) {
      const line = this.random.pick(pool)
      out.push(line)
      size += line.length + 1
    }
    return out.join('\n')
  }

  /** A base64 PNG-looking payload (signature, then noise: screenshots do not compress). */
  imageBase64(bytes) {
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    return Buffer.concat([signature, this.random.bytes(Math.max(0, bytes - signature.length))]).toString('base64')
  }
}

function capital(word) {
  return word[0].toUpperCase() + word.slice(1)
}
