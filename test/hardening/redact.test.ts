import {expect} from 'chai'
import type {Block, Session} from '../../src/model/session.js'
import {redactSession, redactValue} from '../../src/pipeline/redact/index.js'
import {redactedPieces} from '../../src/pipeline/redact/pieces.js'

// Fake secrets in the shapes the real ones have.
const kinds: Array<{id: string; text: string; secret: string}> = [
  {id: 'aws-access-key', secret: 'AKIAIOSFODNN7EXAMPLE', text: 'key id AKIAIOSFODNN7EXAMPLE here'},
  {id: 'aws-secret-key', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'},
  {id: 'github-token', secret: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', text: 'push with ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 ok'},
  {id: 'github-token', secret: 'github_pat_11ABCDEFG0abcdefghijkl_MNOPqrstuvWXYZ0123456789abcdefghij', text: 'use github_pat_11ABCDEFG0abcdefghijkl_MNOPqrstuvWXYZ0123456789abcdefghij now'},
  {id: 'gitlab-token', secret: 'glpat-Ab3dEf6hIj9kLm2nOp5q', text: 'token glpat-Ab3dEf6hIj9kLm2nOp5q.'},
  {id: 'slack-token', secret: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', text: 'slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'},
  {id: 'slack-webhook', secret: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', text: 'post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'},
  {id: 'stripe-key', secret: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', text: 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc'},
  {id: 'stripe-key', secret: 'rk_test_51H8abcDEFghiJKLmnoPQR', text: 'restricted rk_test_51H8abcDEFghiJKLmnoPQR'},
  {id: 'anthropic-key', secret: 'sk-ant-api03-AbCdEf0123456789_GhIjKlMnOpQrStUv-wxyz', text: 'export sk-ant-api03-AbCdEf0123456789_GhIjKlMnOpQrStUv-wxyz'},
  {id: 'openai-key', secret: 'sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQrStUv', text: 'openai sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQrStUv'},
  {id: 'openai-key', secret: 'sk-Ab12Cd34Ef56Gh78Ij90KlMnOpQrStUvWxYz0123456789', text: 'old sk-Ab12Cd34Ef56Gh78Ij90KlMnOpQrStUvWxYz0123456789'},
  {id: 'google-api-key', secret: 'AIzaSyD-1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTu', text: 'maps AIzaSyD-1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTu'},
  {
    id: 'jwt',
    secret: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    text: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  },
  {
    id: 'private-key',
    secret: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----',
    text: 'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----\n',
  },
  {
    id: 'private-key',
    secret: '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----',
    text: 'encrypted:\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----\n',
  },
  {id: 'url-password', secret: 's3cr3tPass', text: 'postgres://admin:s3cr3tPass@db.example.com:5432/app'},
  {id: 'secret-assignment', secret: 'hunter2xyz', text: 'DB_PASSWORD=hunter2xyz'},
  {id: 'secret-assignment', secret: 'abc', text: 'api_key: "abc"'},
  {id: 'secret-assignment', secret: 'tok_9f8e7d', text: '{"accessToken": "tok_9f8e7d"}'},
]

function sessionWith(text: string): Session {
  const blocks: Block[] = [
    {type: 'text', text},
    {type: 'thinking', text, redacted: false},
    {type: 'tool_call', id: 'c1', name: 'Bash', input: {command: text, env: [{value: text}], count: 3}, subagentId: null},
    {type: 'tool_result', callId: 'c1', output: text, isError: false, status: 'ok', exitCode: null, durationMs: null},
    {type: 'event', kind: 'compaction', text},
    {type: 'attachment', kind: 'image', mimeType: 'image/png', name: null, path: null, data: text},
  ]
  return {
    schemaVersion: 1, agent: 'claude', id: 's1', title: text, summary: text, workspace: '/home/u/p',
    gitBranch: {first: null, last: null, seen: [], readAtExport: false}, createdAt: null, updatedAt: null, models: [],
    parentId: null, parentToolCallId: null, forkedFrom: null, copiedMessages: null, filesChanged: [], source: {path: '/tmp/s.jsonl', agentVersion: null}, usage: null,
    messages: [{id: 'm1', role: 'assistant', timestamp: null, model: null, blocks, usage: null}],
    extra: {note: text, nested: {list: [text]}},
  }
}

function strings(session: Session): string[] {
  const [text, thinking, call, result, event] = session.messages[0].blocks as [any, any, any, any, any]
  return [session.title, session.summary!, text.text, thinking.text, call.input.command, call.input.env[0].value, result.output, event.text, session.extra.note as string, (session.extra.nested as any).list[0]]
}

describe('redacting secrets', () => {
  for (const kind of kinds) {
    it(`replaces a ${kind.id} everywhere text is exported`, () => {
      const original = sessionWith(kind.text)
      const copy = structuredClone(original)
      const {session, counts} = redactSession(original)
      const expected = kind.text.replace(kind.secret, `[REDACTED:${kind.id}]`)
      for (const value of strings(session)) expect(value).to.equal(expected)
      expect(counts).to.deep.equal({[kind.id]: 10})
      expect((session.messages[0].blocks[5] as any).data).to.equal(kind.text)
      expect((session.messages[0].blocks[2] as any).input.count).to.equal(3)
      expect(original).to.deep.equal(copy)
    })
  }

  it('replaces secrets in a text attachment (a file the person mentioned), and leaves other attachments byte for byte', () => {
    const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
    const attachment = (mimeType: string, data: string): Block => ({data, kind: 'file', mimeType, name: '.env', path: null, type: 'attachment'})
    const notUtf8 = Buffer.concat([Buffer.from('no secret, and a byte that is not UTF-8: '), Buffer.from([0xff])]).toString('base64')
    const binary = base64('DB_PASSWORD=hunter2xyz')
    const blocks = [
      attachment('text/plain', base64('DB_PASSWORD=hunter2xyz\n')),
      attachment('application/json; charset=utf-8', base64('{"accessToken": "tok_9f8e7d"}')),
      attachment('text/plain', notUtf8),
      attachment('application/octet-stream', binary),
    ]
    const session = {...sessionWith('nothing secret'), messages: [{blocks, id: 'm1', model: null, role: 'user' as const, timestamp: null, usage: null}]}
    const {session: redacted, counts} = redactSession(session)
    const data = redacted.messages[0].blocks.map((block) => (block as {data: string}).data)
    expect(data).to.deep.equal([
      base64('DB_PASSWORD=[REDACTED:secret-assignment]\n'),
      base64('{"accessToken": "[REDACTED:secret-assignment]"}'),
      notUtf8,
      binary,
    ])
    expect(counts).to.deep.equal({'secret-assignment': 2})
  })

  it('keeps the user and host of a URL with a password', () => {
    const {session} = redactSession(sessionWith('https://bob:pw123@example.com/x'))
    expect(session.title).to.equal('https://bob:[REDACTED:url-password]@example.com/x')
  })

  it('leaves ordinary text byte-identical', () => {
    const ordinary = [
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'id 123e4567-e89b-12d3-a456-426614174000',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '"integrity": "sha512-Q2N1vL0Wsd7cQ+9Z5Xq3sAoMnJtjd8GqBKKpC0VcDlAFqJ6ZVmZD6Jq2k0QkLq8EP3R6Lx8mUfD2z4hJy5z7OQ=="',
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'The token expires after an hour; reset your password from the settings page.',
      'password=',
      'const token = getToken()',
      '"max_tokens": 4096, "inputTokens": 1200',
      'scikit: sk-learn-is-a-library-name-here',
    ]
    for (const text of ordinary) {
      const {session, counts} = redactSession(sessionWith(text))
      expect(strings(session), text).to.deep.equal(strings(sessionWith(text)))
      expect(counts, text).to.deep.equal({})
    }
  })

  it('counts each secret in a string', () => {
    const {counts} = redactSession(sessionWith('AKIAIOSFODNN7EXAMPLE and AKIAIOSFODNN7EXAMPLF'))
    expect(counts).to.deep.equal({'aws-access-key': 20})
  })

  it('scans a 5 MB string', () => {
    const big = 'lorem ipsum token password sk- eyJ AIza -----BEGIN x://a:b '.repeat(90_000) + 'AKIAIOSFODNN7EXAMPLE'
    const {session} = redactSession(sessionWith(big))
    expect(session.title.endsWith('[REDACTED:aws-access-key]')).to.equal(true)
  })
})

describe('redacting a text read a piece at a time', () => {
  /** A text's lines in pieces of `lines` lines each. */
  function inPieces(text: string, lines: number): string[] {
    const all = text.split(/(?<=\n)/)
    return Array.from({length: Math.ceil(all.length / lines)}, (_, index) => all.slice(index * lines, (index + 1) * lines).join(''))
  }

  const filler = (characters: number) => Array.from({length: Math.ceil(characters / 40)}, (_, index) => `an ordinary line, number ${String(index).padStart(6, '0')}\n`).join('').slice(0, characters)
  // The longest secrets the rules find, so that each reaches across the place where a piece is cut.
  const body = Array.from({length: 300}, () => `MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo${'x'.repeat(29)}\n`).join('')
  const longestKey = `-----BEGIN ${'RSA '.repeat(10)}PRIVATE KEY-----\n${body}-----END RSA PRIVATE KEY-----`
  const longestJwt = `Bearer eyJ${'a'.repeat(4093)}.eyJ${'b'.repeat(8189)}.${'c'.repeat(4096)}`
  const secrets = [kinds.map(({text}) => text).join('\n'), longestKey, `${longestKey} ${longestKey}`, longestJwt, 'password:\n  "across1line"']

  it('redacts as the whole text would be, wherever a piece ends, holding a few pieces at a time', () => {
    for (const secret of secrets) {
      for (const before of [0, 20_000, 31_000, 33_000, 45_000, 60_000, 64_000, 66_000, 90_000, 97_000]) {
        const text = `${filler(before)}${before > 0 ? '\n' : ''}${secret}\n${filler(100_000)}`
        const whole = redactValue(text)
        expect(whole, 'the secret is found in the whole text').not.to.equal(text)
        for (const lines of [1, 97, 4000]) {
          const redacted = [...redactedPieces(inPieces(text, lines))]
          expect(redacted.join('') === whole, `${secret.slice(0, 20)} after ${before} characters, ${lines} lines a piece`).to.equal(true)
          expect(redacted.slice(0, -1).every((piece) => piece.endsWith('\n')), 'pieces of whole lines').to.equal(true)
          if (lines < 4000) expect(redacted.length, 'not held whole').to.be.above(1)
        }
      }
    }
  })

  it('passes a text without secrets on as it is, however it ends', () => {
    for (const text of ['', 'one line', 'one line\n', `${filler(200_000)}`, `${filler(200_000)}last`]) expect([...redactedPieces(inPieces(text, 10))].join('')).to.equal(text)
  })
})
