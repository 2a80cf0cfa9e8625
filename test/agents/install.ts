/** Installs the agents the conformance suite drives (run by `npm run test:agents` before mocha). */
import {install} from './installations.js'

install()
