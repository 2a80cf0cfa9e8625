import {expect} from 'chai'
import type {Reader, ReaderContext, SessionRef} from '../../src/plugin-api.js'

async function collected(refs: AsyncIterable<SessionRef>): Promise<SessionRef[]> {
  const all: SessionRef[] = []
  for await (const ref of refs) all.push(ref)
  return all
}

/**
 * What `watch` relies on: for each file a whole discovery gave as a source, `discoverFiles`
 * describes every session that file is the source of, each exactly as the whole discovery did.
 * Returns how many files were asked about.
 */
export async function expectEachFileDiscoveredAlone(reader: Reader, ctx: ReaderContext): Promise<number> {
  const roots = await reader.locate(ctx)
  const whole = await collected(reader.discover(roots, ctx))
  const byId = new Map(whole.map((ref) => [ref.id, ref]))
  const files = [...new Set(whole.map((ref) => ref.sourcePath))]
  for (const file of files) {
    const alone = await collected(reader.discoverFiles!([file], roots, ctx))
    expect(alone.map((ref) => ref.id), file).to.include.members(whole.filter((ref) => ref.sourcePath === file).map((ref) => ref.id))
    for (const ref of alone) expect(ref, `${ref.id} from ${file}`).to.deep.equal(byId.get(ref.id))
  }

  return files.length
}
