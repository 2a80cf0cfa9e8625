import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {toonWriter} from '../../plugins/writer-toon/src/register.js'
import {EXPORT_SCHEMA_VERSION} from '../../src/model/export-document.js'
import {documentVersion} from '../../src/pipeline/document-head.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

function fileOf(text: string): string {
  const file = path.join(tempDir(), 'export')
  writeFileSync(file, text)
  return file
}

describe('the version a JSON or TOON document gives first', () => {
  const session = fixtureSession('rich')
  const exports = [jsonWriter, toonWriter].map((writer) => writer.render(session, renderContext(() => null, countsOf(session))))

  it('is read from the start of an export as each writer writes it, with Windows line breaks too', () => {
    for (const text of exports) {
      expect(documentVersion(fileOf(text))).to.equal(EXPORT_SCHEMA_VERSION)
      expect(documentVersion(fileOf(text.replaceAll('\n', '\r\n')))).to.equal(EXPORT_SCHEMA_VERSION)
      // Another version, which the schema would refuse, is still told.
      expect(documentVersion(fileOf(text.replace(`schemaVersion": ${EXPORT_SCHEMA_VERSION}`, 'schemaVersion": 12').replace(`schemaVersion: ${EXPORT_SCHEMA_VERSION}`, 'schemaVersion: 12')))).to.equal(12)
    }
  })

  it('is null for a file that does not begin with one, or that cannot be read', () => {
    expect(documentVersion(fileOf('{\n  "title": "x",\n  "schemaVersion": 5\n}\n'))).to.equal(null)
    expect(documentVersion(fileOf('title: x\nschemaVersion: 5\n'))).to.equal(null)
    expect(documentVersion(fileOf(''))).to.equal(null)
    expect(documentVersion(path.join(tempDir(), 'gone.json'))).to.equal(null)
    expect(documentVersion(tempDir())).to.equal(null)
  })
})
