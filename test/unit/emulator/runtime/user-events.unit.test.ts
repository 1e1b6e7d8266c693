// Reference 3.2: User Events fire on save/delete/submitFields for deployments of the record type and execution
// context, with context.type and newRecord/oldRecord; beforeSubmit changes persist; no chaining.
import type { LocalAccount } from '../../../../emulator';
import { fixtureAccount, post } from './fixture';

let account: LocalAccount;
beforeEach(() => {
  account = fixtureAccount();
});
afterEach(async () => {
  await account.close();
});

/** What the note UE's afterSubmit recorded, newest last. */
function audits(): Record<string, unknown>[] {
  return account.engine
    .search({ type: 'customrecord_fx_audit', filters: [], columns: [{ name: 'internalid', sort: 'ASC' }, { name: 'custrecord_fx_audit_text' }] })
    .map((r) => String(r.values['custrecord_fx_audit_text']?.value ?? ''))
    .filter((t) => t.startsWith('{'))
    .map((t) => JSON.parse(t) as Record<string, unknown>);
}

const ueReports = (scriptId: string) => account.usage().filter((r) => r.scriptId === scriptId);

describe('user events on UI saves (3.2)', () => {
  it('3.2: create in the UI fires beforeSubmit (changes persist) and afterSubmit (newRecord.id, oldRecord null)', () => {
    const id = account.ui.create('customrecord_fx_note', { fields: { name: 'n', custrecord_fx_note_text: 'hi' } });
    expect(account.engine.load('customrecord_fx_note', id).fields['custrecord_fx_note_text']).toBe('hi (checked)');
    expect(audits()).toEqual([
      expect.objectContaining({ type: 'create', newId: Number(id), oldIsNull: true, newText: 'hi (checked)', executionContext: 'USERINTERFACE' }),
    ]);
    const reports = ueReports('customscript_fx_ue_note');
    expect(reports.map((r) => [r.entryPoint, r.executionContext, r.unitLimit, r.unitsUsed])).toEqual([
      ['beforeSubmit', 'USERINTERFACE', 1000, 0],
      ['afterSubmit', 'USERINTERFACE', 1000, 6], // 1.1: custom record create 2 + save 4
    ]);
  });

  it('3.2: records written by a User Event do not trigger other User Events', () => {
    account.ui.create('customrecord_fx_note', { fields: { name: 'n', custrecord_fx_note_text: 'hi' } });
    expect(audits()).toHaveLength(1);
    expect(ueReports('customscript_fx_ue_audit')).toHaveLength(0);
    // The audit deployment is live: a RESTlet writing an audit record fires it.
    post(account, { action: 'audit' });
    expect(ueReports('customscript_fx_ue_audit').map((r) => [r.entryPoint, r.executionContext])).toEqual([['afterSubmit', 'RESTLET']]);
  });

  it('3.2: edit in the UI has type edit and the old record', () => {
    const id = account.ui.create('customrecord_fx_note', { fields: { name: 'n', custrecord_fx_note_text: 'first' } });
    account.ui.edit('customrecord_fx_note', id, { custrecord_fx_note_text: 'second' });
    expect(audits()[1]).toMatchObject({ type: 'edit', oldIsNull: false, oldText: 'first (checked)', newText: 'second (checked)' });
  });

  it('3.2: delete has type delete with the deleted record as oldRecord', () => {
    const id = account.ui.create('customrecord_fx_note', { fields: { name: 'n', custrecord_fx_note_text: 'gone' } });
    account.ui.delete('customrecord_fx_note', id);
    expect(audits()[1]).toMatchObject({ type: 'delete', newId: Number(id), oldText: 'gone (checked)' });
    expect(() => account.engine.load('customrecord_fx_note', id)).toThrow();
  });
});

describe('user events from scripts (3.2)', () => {
  it('3.2: a RESTlet save fires the UE in context RESTLET; submitFields fires xedit with only the submitted fields (UNCONFIRMED per reference)', () => {
    const { body } = post(account, { action: 'note', text: 'via restlet', xedit: 'inline' });
    const seen = audits();
    expect(seen[0]).toMatchObject({ type: 'create', executionContext: 'RESTLET', newId: body.id });
    expect(seen[1]).toMatchObject({ type: 'xedit', newText: 'inline (checked)', newFields: ['custrecord_fx_note_text'] });
    expect(account.engine.load('customrecord_fx_note', String(body.id)).fields['custrecord_fx_note_text']).toBe('inline (checked)');
  });

  it('3.2: a deployment whose execution contexts exclude MAPREDUCE does not fire for a Map/Reduce write', () => {
    account.setParameters('customdeploy_fx_mr', { custscript_fx_mr_input: JSON.stringify([{ op: 'note' }]) });
    const result = account.runMapReduce('customscript_fx_mr');
    expect(result.map.errors).toEqual([]);
    expect(account.engine.search({ type: 'customrecord_fx_note', filters: [], columns: [{ name: 'internalid' }] })).toHaveLength(1);
    expect(ueReports('customscript_fx_ue_note')).toHaveLength(0);
    expect(audits()).toHaveLength(0);
  });
});
