import path from 'node:path'
import {Config} from '@oclif/core'
import {expect} from 'chai'
import {cacheFolder, parseRecord, recordFile, type RunIdentity} from '../../src/unchanged-run/record.js'
import {REPO} from '../helpers/cli.js'

describe('records of runs with nothing to do', () => {
  describe('their folder', () => {
    const oclifCacheDir = async (env: NodeJS.ProcessEnv) => {
      const saved = {...process.env}
      for (const name of ['HOME', 'XDG_CACHE_HOME', 'SESSIONSYNC_CACHE_DIR']) delete process.env[name]
      Object.assign(process.env, env)
      try {
        return (await Config.load(REPO)).cacheDir
      } finally {
        for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
        Object.assign(process.env, saved)
      }
    }

    for (const env of [{HOME: '/home/someone'}, {HOME: '/home/someone', XDG_CACHE_HOME: '/var/cache/someone'}, {HOME: '/home/someone', SESSIONSYNC_CACHE_DIR: '/tmp/cache'}]) {
      it(`is oclif's cache folder, found without oclif (${Object.keys(env).join(', ')})`, async () => {
        expect(cacheFolder(env)).to.equal(await oclifCacheDir(env))
      })
    }

    it('follows the platform', () => {
      expect(cacheFolder({HOME: '/Users/someone'}, 'darwin')).to.equal('/Users/someone/Library/Caches/sessionsync')
      expect(cacheFolder({LOCALAPPDATA: 'C:\\Users\\someone\\AppData\\Local', USERPROFILE: 'C:\\Users\\someone'}, 'win32')).to.equal(path.join('C:\\Users\\someone\\AppData\\Local', 'sessionsync'))
    })
  })

  describe('which run they answer', () => {
    const run: RunIdentity = {args: ['sync', '-o', 'out'], cwd: '/work/app', env: {HOME: '/home/someone', OLDPWD: '/a', SHLVL: '1'}, root: '/opt/sessionsync', terminals: [false, false]}
    it('is the same run when only the shell variables that change by themselves differ', () => {
      expect(recordFile({...run, env: {...run.env, _: '/usr/bin/sessionsync', OLDPWD: '/b', PWD: '/c', SHLVL: '3'}})).to.equal(recordFile(run))
    })

    it('is another run with other arguments, folder, environment, install or terminal', () => {
      const others = [
        {...run, args: ['sync', '-o', 'other']},
        {...run, cwd: '/work/other'},
        {...run, env: {...run.env, CLAUDE_CONFIG_DIR: '/x'}},
        {...run, root: '/opt/other-sessionsync'},
        {...run, terminals: [true, false]},
      ]
      expect(new Set([run, ...others].map((identity) => recordFile(identity))).size).to.equal(others.length + 1)
    })
  })

  it('are read only when whole and well-formed', () => {
    const good = {checks: [{inputs: [{path: '/a', scope: 'tree'}], stamp: 'abc'}], stdout: 'done\n', version: 1}
    expect(parseRecord(JSON.stringify(good))).to.deep.equal(good)
    for (const bad of [{...good, version: 2}, {...good, checks: [{inputs: [{path: '/a', scope: 'everything'}], stamp: 'abc'}]}, {...good, checks: [{inputs: []}]}, {...good, stdout: null}, null]) {
      expect(parseRecord(JSON.stringify(bad)), JSON.stringify(bad)).to.equal(undefined)
    }

    expect(parseRecord(JSON.stringify(good).slice(0, -3))).to.equal(undefined)
  })
})
