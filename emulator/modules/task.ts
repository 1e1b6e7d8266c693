/**
 * N/task: MapReduceScriptTask and ScheduledScriptTask (submit = 20 units; create and checkStatus = 0, reference
 * 1.1). The submit rules of reference 1.2 are enforced by the account (one unfinished task per script+deployment
 * -> FAILED_TO_SUBMIT_JOB_REQUEST_1; a scheduled deployment in Testing is not queued). Other task types (CSV
 * import, search, query …) are not emulated yet and throw.
 */
import type { ExecutionSlot, TaskRequest } from '../runtime/execution';
import { SuiteScriptError } from '../runtime/errors';
import { API_COSTS } from '../runtime/governance';

const TaskType = {
  CSV_IMPORT: 'CSV_IMPORT',
  ENTITY_DEDUPLICATION: 'ENTITY_DEDUPLICATION',
  MAP_REDUCE: 'MAP_REDUCE',
  QUERY: 'QUERY',
  RECORD_ACTION: 'RECORD_ACTION',
  SCHEDULED_SCRIPT: 'SCHEDULED_SCRIPT',
  SEARCH: 'SEARCH',
  SUITE_QL: 'SUITE_QL',
  WORKFLOW_TRIGGER: 'WORKFLOW_TRIGGER',
} as const;

const TaskStatus = { PENDING: 'PENDING', PROCESSING: 'PROCESSING', COMPLETE: 'COMPLETE', FAILED: 'FAILED' } as const;

const MapReduceStage = {
  GET_INPUT: 'GET_INPUT',
  MAP: 'MAP',
  SHUFFLE: 'SHUFFLE',
  REDUCE: 'REDUCE',
  SUMMARIZE: 'SUMMARIZE',
} as const;

interface CreateOptions {
  taskType?: unknown;
  scriptId?: unknown;
  deploymentId?: unknown;
  params?: unknown;
}

export function createTaskModule(slot: ExecutionSlot): Record<string, unknown> {
  const create = (options: CreateOptions | undefined) => {
    const taskType = String(options?.taskType ?? '');
    if (taskType !== TaskType.MAP_REDUCE && taskType !== TaskType.SCHEDULED_SCRIPT) {
      if (!taskType) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'task.create: options.taskType is required.');
      throw new SuiteScriptError('SSS_INVALID_TASK_TYPE', `task.create: ${taskType} tasks are not emulated by the local account.`);
    }
    const t = {
      taskType,
      scriptId: options?.scriptId === undefined ? undefined : String(options.scriptId),
      deploymentId: options?.deploymentId === undefined ? undefined : String(options.deploymentId),
      params: { ...((options?.params ?? {}) as Record<string, unknown>) },
      id: null as string | null,
      submit() {
        if (!t.scriptId) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'Task.submit: scriptId is required.');
        slot.current.meter.charge('task.submit', API_COSTS['task.submit']);
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(t.params)) params[k] = String(v);
        const request: TaskRequest = {
          taskType: taskType as TaskRequest['taskType'],
          scriptId: t.scriptId.toLowerCase(),
          deploymentId: t.deploymentId ? t.deploymentId.toLowerCase() : null,
          params,
        };
        t.id = slot.current.host.submitTask(request, slot.current);
        return t.id;
      },
      toString() {
        return `${taskType}Task`;
      },
    };
    return t;
  };
  const checkStatus = (options: { taskId?: unknown } | undefined) => {
    if (!options?.taskId) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'task.checkStatus: options.taskId is required.');
    const state = slot.current.host.taskStatus(String(options.taskId));
    if (!state) throw new SuiteScriptError('SSS_INVALID_TASK_ID', `No task with id ${String(options.taskId)}.`);
    return {
      taskId: state.id,
      status: state.status,
      scriptId: state.scriptId,
      deploymentId: state.deploymentId,
      stage: state.stage,
    };
  };
  return { TaskType, TaskStatus, MapReduceStage, create, checkStatus };
}
