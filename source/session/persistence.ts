// The durable session API in one import, for the CLI and the UI.
export {createSession, DurableSessionStore, markFinished, newSessionId, openSession, ReadOnlySessionError} from './durable-store.js';
export type {CreateSessionOptions, OpenSessionOptions} from './durable-store.js';
export {SessionInUseError, type LockInfo} from './locks.js';
export {SESSION_FILE_VERSION, sessionKinds, type SessionKind} from './schema.js';
export {SessionFileError, SessionWriteError} from './session-files.js';
export {latestUnfinished, listSessions, type Listing} from './session-index.js';
export {SessionNotFoundError} from './session-load.js';
export {outlineOf, type SessionSummary, type Totals} from './summary.js';
