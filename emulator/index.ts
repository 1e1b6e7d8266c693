/** The local NetSuite account (emulator): public entry points. */
export { createLocalAccount, defaultProjectDir } from './account';
export type { LocalAccount, LocalAccountOptions, ScheduledRunResult, ScriptSummary, UiSession } from './account';
export type { UsageReport, CallRecord } from './runtime/governance';
export type { LogEntry, TaskState } from './runtime/execution';
export type { MapReduceResult } from './runtime/map-reduce';
export { SuiteScriptError } from './runtime/errors';
export type { RestletRunner, RestletInvocation, RestletOutcome } from './http/restlet-runner';
export { StateFileError, STATE_FORMAT_VERSION, readStateFile } from './state-file';
export type { AccountState } from './state-file';
