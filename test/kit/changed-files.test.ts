import {expect} from 'chai'
import {changedFiles} from '../../src/kit/changed-files.js'
import type {Block, Message} from '../../src/model/session.js'

const message = (role: Message['role'], blocks: Block[]): Message => ({blocks, id: null, model: null, role, timestamp: null, usage: null})
const call = (id: string, name: string, input: unknown): Block => ({id, input, name, subagentId: null, type: 'tool_call'})
const result = (callId: string, isError = false): Block => ({callId, durationMs: null, exitCode: null, isError, output: '', status: isError ? 'error' : 'ok', type: 'tool_result'})

describe('kit: changedFiles', () => {
  const changes = {events: ['files-changed'], tools: {edit: 'filePath', write: 'filePath'}}

  it('lists the files that write and edit calls name, in the order of their first change, once each', () => {
    const messages = [
      message('assistant', [call('1', 'write', {filePath: '/app/b.ts'}), call('2', 'read', {filePath: '/app/r.ts'}), call('3', 'edit', {filePath: '/app/a.ts'})]),
      message('tool', [result('1'), result('2'), result('3')]),
      message('assistant', [call('4', 'edit', {filePath: '/app/b.ts'})]),
    ]
    expect(changedFiles(messages, changes, '/app')).to.deep.equal(['/app/b.ts', '/app/a.ts'])
  })

  it("takes the first of a tool's fields that the input has (an agent that renamed the field)", () => {
    const messages = [message('assistant', [call('1', 'edit', {filePath: '/app/old-name.ts'}), call('2', 'edit', {path: '/app/new-name.ts'}), call('3', 'edit', {filePath: '/app/first.ts', path: '/app/second.ts'})])]
    expect(changedFiles(messages, {tools: {edit: ['filePath', 'path']}}, '/app')).to.deep.equal(['/app/old-name.ts', '/app/new-name.ts', '/app/first.ts'])
  })

  it('leaves out a call whose result says it failed, and inputs without the field', () => {
    const messages = [
      message('assistant', [call('1', 'edit', {filePath: '/app/failed.ts'}), call('2', 'write', null), call('3', 'write', {filePath: 42}), call('4', 'write', 'text')]),
      message('tool', [result('1', true)]),
    ]
    expect(changedFiles(messages, changes, '/app')).to.deep.equal([])
  })

  it("takes the files an agent's own record lists, and a relative path from the session's folder", () => {
    const messages = [
      message('assistant', [call('1', 'write', {filePath: 'src/x.ts'}), {kind: 'files-changed', text: '/app/src/x.ts\n/app/made-by-shell.txt', type: 'event'}]),
      message('system', [{kind: 'compaction', text: '/app/not-a-change.ts', type: 'event'}]),
    ]
    expect(changedFiles(messages, changes, '/app')).to.deep.equal(['/app/src/x.ts', '/app/made-by-shell.txt'])
    expect(changedFiles(messages, changes, null)).to.deep.equal(['src/x.ts', '/app/src/x.ts', '/app/made-by-shell.txt'])
  })

  it('takes the files a patch adds, updates, deletes or moves, unless the patch failed', () => {
    const patch = '*** Begin Patch\n*** Add File: /app/new.ts\n+x\n*** Update File: /app/old.ts\n*** Move to: /app/moved.ts\n@@\n-a\n+b\n*** Delete File: gone.ts\n*** End Patch'
    const withPatches = {...changes, patches: {apply_patch: 'patchText'}}
    const messages = [message('assistant', [call('1', 'apply_patch', {patchText: patch}), call('2', 'apply_patch', {patchText: '*** Begin Patch\n*** Add File: /app/failed.ts\n*** End Patch'})]), message('tool', [result('2', true)])]
    expect(changedFiles(messages, withPatches, '/app')).to.deep.equal(['/app/new.ts', '/app/old.ts', '/app/moved.ts', '/app/gone.ts'])
  })

  it('names the files of a project that moved since where they are now, and the others as they were', () => {
    const messages = [message('assistant', [call('1', 'write', {filePath: 'src/x.ts'}), call('2', 'edit', {filePath: '/old/app/README.md'}), call('3', 'edit', {filePath: '/etc/hosts'}), call('4', 'edit', {filePath: '/old/application.ts'})])]
    expect(changedFiles(messages, changes, '/old/app', '/srv/app')).to.deep.equal(['/srv/app/src/x.ts', '/srv/app/README.md', '/etc/hosts', '/old/application.ts'])
  })

  it('keeps a path absolute on Windows as it is, even read on another system', () => {
    const messages = [message('assistant', [call('1', 'write', {filePath: 'C:\\app\\x.ts'})])]
    expect(changedFiles(messages, changes, 'C:\\app')).to.deep.equal(['C:\\app\\x.ts'])
  })

  it('does not take a tool name inherited from Object for a file tool', () => {
    expect(changedFiles([message('assistant', [call('1', 'constructor', {constructor: '/x'})])], changes, null)).to.deep.equal([])
  })
})
