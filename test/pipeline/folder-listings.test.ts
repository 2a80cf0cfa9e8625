import {expect} from 'chai'
import {rmSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {FolderListings} from '../../src/pipeline/folder-listings.js'
import {tempDir} from '../helpers/cli.js'

const names = (entries: ReturnType<FolderListings['changedEntries']>) => entries?.map((entry) => entry.name).sort() ?? null
/** Sets the folder's time of change back a minute, as if nothing had entered it for that long. */
const settle = (folder: string) => utimesSync(folder, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))

describe('folder listings', () => {
  it('lists a folder again only once an entry arrived or left', () => {
    const folder = tempDir()
    writeFileSync(path.join(folder, 'a.jsonl'), '')
    settle(folder)
    const listings = new FolderListings()
    expect(names(listings.changedEntries(folder))).to.deep.equal(['a.jsonl'])
    expect(listings.changedEntries(folder), 'nothing arrived').to.equal(null)
    writeFileSync(path.join(folder, 'a.jsonl'), 'a line\n')
    expect(listings.changedEntries(folder), 'a file written to, none arrived').to.equal(null)
    writeFileSync(path.join(folder, 'b.jsonl'), '')
    expect(names(listings.changedEntries(folder))).to.deep.equal(['a.jsonl', 'b.jsonl'])
    settle(folder)
    expect(names(listings.changedEntries(folder)), 'its time of change set back is a change too').to.deep.equal(['a.jsonl', 'b.jsonl'])
    rmSync(path.join(folder, 'a.jsonl'))
    expect(names(listings.changedEntries(folder))).to.deep.equal(['b.jsonl'])
  })

  it('lists again a folder changed within the coarse tick of a clock, and one forgotten', () => {
    const folder = tempDir()
    const listings = new FolderListings()
    expect(names(listings.changedEntries(folder))).to.deep.equal([])
    // Changed just now: an entry arriving in the same tick would leave its time as it is.
    expect(names(listings.changedEntries(folder))).to.deep.equal([])
    settle(folder)
    listings.changedEntries(folder)
    expect(listings.changedEntries(folder)).to.equal(null)
    listings.forget(folder)
    expect(names(listings.changedEntries(folder)), 'forgotten').to.deep.equal([])
  })

  it('has no entries for a folder that is not there', () => {
    expect(new FolderListings().changedEntries(path.join(tempDir(), 'missing'))).to.deep.equal([])
  })
})
