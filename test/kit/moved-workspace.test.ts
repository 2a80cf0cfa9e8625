import {expect} from 'chai'
import {movedWorkspace} from '../../src/kit/moved-workspace.js'

describe('the workspace of a session whose folder was renamed after its project moved', () => {
  // As Claude Code names project folders; the session's folder is the one given.
  const inFolder = (name: string) => (folder: string) => folder.replaceAll(/[^A-Za-z0-9]/g, '-') === name

  it('is the recorded folder when the session is in the folder named after it, whatever the run', () => {
    expect(movedWorkspace('/home/dev/app', '/srv/app', inFolder('-home-dev-app'))).to.equal('/home/dev/app')
    expect(movedWorkspace('/home/dev/app', '/home/dev', inFolder('-home-dev-app'))).to.equal('/home/dev/app')
  })

  it("is the run's workspace when the session is in the folder named after it", () => {
    expect(movedWorkspace('/home/dev/app', '/srv/app', inFolder('-srv-app'))).to.equal('/srv/app')
  })

  it('is the subfolder of the workspace whose name the recorded folder ends with, however deep', () => {
    expect(movedWorkspace('/home/dev/app/web', '/srv/app', inFolder('-srv-app-web'))).to.equal('/srv/app/web')
    // The project moved into a folder of its own: /app to /srv/app.
    expect(movedWorkspace('/app/web', '/srv', inFolder('-srv-app-web'))).to.equal('/srv/app/web')
    expect(movedWorkspace('C:\\Users\\dev\\app\\web', '/srv/app', inFolder('-srv-app-web')), 'a history copied from Windows').to.equal('/srv/app/web')
  })

  it('is the recorded folder when the folder is named after nothing in the workspace, or with no single workspace', () => {
    expect(movedWorkspace('/home/dev/app', '/srv/app', inFolder('-srv-other'))).to.equal('/home/dev/app')
    expect(movedWorkspace('/home/dev/app/web', '/srv/app', inFolder('-srv-app-api')), 'another subfolder').to.equal('/home/dev/app/web')
    expect(movedWorkspace('/home/dev/app', null, inFolder('-srv-app'))).to.equal('/home/dev/app')
    // A recorded folder that climbs (a hostile record) gives no candidate above the workspace: /srv/y would match.
    expect(movedWorkspace('/x/../y', '/srv/app', inFolder('-srv-y'))).to.equal('/x/../y')
  })
})
