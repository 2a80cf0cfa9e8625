export * from './plugin-api.js'
export * from './model/session.js'
export {SessionRefSchema} from './model/ref.js'
export {kit} from './kit/index.js'
