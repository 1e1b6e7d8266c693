// Reference 1.2: MapReduceScriptTask / ScheduledScriptTask submit rules — one unfinished task per
// script+deployment (FAILED_TO_SUBMIT_JOB_REQUEST_1), a scheduled deployment in Testing is not queued, a script
// resubmitting itself gets no task id until its run finishes; submit costs 20 units (1.1).
import type { LocalAccount } from '../../../../emulator';
import { fixtureAccount, post } from './fixture';

let account: LocalAccount;
beforeEach(() => {
  account = fixtureAccount();
});
afterEach(async () => {
  await account.close();
});

describe('MapReduceScriptTask.submit (1.2)', () => {
  it('1.2: a second submit for the same deployment while the first is unfinished is FAILED_TO_SUBMIT_JOB_REQUEST_1', () => {
    const first = post(account, { action: 'submit', deploymentId: 'customdeploy_fx_mr' }).body;
    expect(first).toEqual({ id: expect.stringMatching(/^MAPREDUCETASK_/), status: 'PENDING' });
    expect(post(account, { action: 'submit', deploymentId: 'customdeploy_fx_mr' }).body).toMatchObject({ name: 'FAILED_TO_SUBMIT_JOB_REQUEST_1' });
    expect(account.usage().map((r) => r.calls.map((c) => [c.api, c.units]))).toEqual([[['task.submit', 20]], [['task.submit', 20]]]);
  });

  it('1.2: without a deployment id submit picks a free deployment, and fails when none is free', () => {
    post(account, { action: 'submit', deploymentId: 'customdeploy_fx_mr' });
    expect(post(account, { action: 'submit' }).body).toMatchObject({ status: 'PENDING' });
    expect(account.tasks().map((t) => t.deploymentId)).toEqual(['customdeploy_fx_mr', 'customdeploy_fx_mr_2']);
    expect(post(account, { action: 'submit' }).body).toMatchObject({ name: 'FAILED_TO_SUBMIT_JOB_REQUEST_1' });
  });

  it('1.2: once the queued job has run, the deployment accepts a new submit', () => {
    post(account, { action: 'submit', deploymentId: 'customdeploy_fx_mr' });
    const ran = account.runQueuedTasks();
    expect(ran.map((r) => r.task.status)).toEqual(['COMPLETE']);
    expect(post(account, { action: 'submit', deploymentId: 'customdeploy_fx_mr' }).body).toMatchObject({ status: 'PENDING' });
  });
});

describe('ScheduledScriptTask.submit (1.2)', () => {
  it('1.2: a running script resubmitting itself is queued without a task id; again is refused; a Testing deployment is not queued', () => {
    const run = account.runScheduled('customscript_fx_sched', 'customdeploy_fx_sched');
    expect(run.error).toBeNull();
    const details = JSON.parse(account.logs().find((l) => l.title === 'execute')?.details ?? '{}');
    expect(details).toEqual({
      type: 'SCHEDULED',
      self: { id: null },
      again: { error: 'FAILED_TO_SUBMIT_JOB_REQUEST_1' },
      testing: { error: 'FAILED_TO_SUBMIT_JOB_REQUEST_1' },
      remaining: 10000 - 3 * 20,
    });
    expect(account.tasks().filter((t) => t.status === 'PENDING').map((t) => t.deploymentId)).toEqual(['customdeploy_fx_sched']);
    // The queued run executes ON_DEMAND (3.5).
    account.clearLogs();
    account.runQueuedTasks();
    expect(JSON.parse(account.logs().find((l) => l.title === 'execute')?.details ?? '{}').type).toBe('ON_DEMAND');
  });
});
