import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

const root = new URL('..', import.meta.url)
const changelog = readFileSync(new URL('CHANGELOG.md', root), 'utf8')
const {version} = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {version: string}

/** The `## <version> - <date>` headings, in the order the file gives them. */
const sections = [...changelog.matchAll(/^## (\S+) - (\S+)$/gm)].map(([, name, date]) => ({date, name}))
const numbers = (name: string) => name.split('.').map(Number)
const newer = (a: string, b: string) => {
  const [x, y] = [numbers(a), numbers(b)]
  const first = x.findIndex((part, at) => part !== y[at])
  return first !== -1 && x[first] > y[first]
}

describe('CHANGELOG.md', () => {
  it("has a section for the package's version: a release is not made without one", () => {
    expect(sections.map(({name}) => name)).to.include(version)
  })

  it('gives each version once, as major.minor.patch with its date, the newest first', () => {
    for (const {date, name} of sections) {
      expect(name).to.match(/^\d+\.\d+\.\d+$/)
      expect(date).to.match(/^\d{4}-\d{2}-\d{2}$/)
    }

    for (const [at, section] of sections.slice(1).entries()) {
      expect(newer(sections[at].name, section.name), `${sections[at].name} before ${section.name}`).to.equal(true)
      expect(sections[at].date >= section.date, `${sections[at].name} dated before ${section.name}`).to.equal(true)
    }
  })

  it('ships in the npm package, beside the README', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})) as [{files: {path: string}[]}]
    expect(packed.files.map(({path}) => path)).to.include.members(['CHANGELOG.md', 'README.md'])
  })
})
