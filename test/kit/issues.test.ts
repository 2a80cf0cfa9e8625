import {expect} from 'chai'
import {z} from 'zod'
import {describeIssues} from '../../src/kit/issues.js'

describe('describeIssues', () => {
  const Record = z.object({count: z.number(), nested: z.object({name: z.string()}), tags: z.array(z.string()), uuid: z.string()})

  it('says each issue at its path, and a field that is not there as missing', () => {
    const parsed = Record.safeParse({count: 'three', nested: {}, tags: ['a'], uuid: 'u'}, {reportInput: true})
    expect(describeIssues(parsed.error!.issues)).to.equal('count: Invalid input: expected number, received string; nested.name: missing')
  })

  it("keeps zod's own words for a null, and without reported inputs", () => {
    expect(describeIssues(Record.safeParse({count: 1, nested: {name: 'n'}, tags: [], uuid: null}, {reportInput: true}).error!.issues)).to.equal('uuid: Invalid input: expected string, received null')
    expect(describeIssues(Record.safeParse({count: 1, nested: {name: 'n'}, tags: []}).error!.issues)).to.equal('uuid: Invalid input: expected string, received undefined')
  })

  it('names the root for a value of the wrong kind, and counts the issues past the third', () => {
    expect(describeIssues(Record.safeParse(42, {reportInput: true}).error!.issues)).to.equal('(root): Invalid input: expected object, received number')
    const parsed = Record.safeParse({tags: [1, 2]}, {reportInput: true})
    expect(describeIssues(parsed.error!.issues)).to.equal('count: missing; nested: missing; tags.0: Invalid input: expected string, received number; and 2 more')
  })
})
