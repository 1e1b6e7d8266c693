// Reference 3.2: beforeLoad is triggered by UI, SOAP/REST, CSV and server SuiteScript reads, with context.type
// (create, edit, view …), newRecord, and no request when server-triggered; changes to the loaded record are
// ignored. The fixture UE customscript_fx_ue_view logs what it saw and then changes the record.
import type { LocalAccount } from '../../../../emulator';
import { fixtureAccount, post } from './fixture';

let account: LocalAccount;
let id: string;
beforeEach(() => {
  account = fixtureAccount();
  const r = account.engine.newRecord('customrecord_fx_viewed');
  r.fields['name'] = 'viewed';
  r.fields['custrecord_fx_viewed_text'] = 'stored';
  id = account.engine.save(r);
});
afterEach(async () => {
  await account.close();
});

/** What each beforeLoad saw, oldest first. */
function seen(): Record<string, unknown>[] {
  return account.logs().filter((l) => l.title === 'beforeLoad').map((l) => JSON.parse(l.details) as Record<string, unknown>);
}

describe('beforeLoad (3.2)', () => {
  it('3.2: the UI opening a new record fires beforeLoad type create, in context USERINTERFACE', () => {
    const fresh = account.ui.newRecord('customrecord_fx_viewed');
    expect(seen()).toEqual([{ type: 'create', executionContext: 'USERINTERFACE', id: null, text: '', hasRequest: false }]);
    expect(fresh.fields['custrecord_fx_viewed_text']).toBeUndefined(); // the handler's change is ignored
  });

  it('3.2: the UI opening a stored record for editing fires type edit; its change does not reach the form or the store', () => {
    const opened = account.ui.load('customrecord_fx_viewed', id);
    expect(seen()).toEqual([{ type: 'edit', executionContext: 'USERINTERFACE', id: Number(id), text: 'stored', hasRequest: false }]);
    expect(opened.fields['custrecord_fx_viewed_text']).toBe('stored');
    expect(account.engine.load('customrecord_fx_viewed', id).fields['custrecord_fx_viewed_text']).toBe('stored');
    expect(account.usage().map((r) => [r.scriptId, r.entryPoint, r.unitLimit])).toEqual([['customscript_fx_ue_view', 'beforeLoad', 1000]]);
  });

  it('3.2: record.load in a RESTlet fires beforeLoad (view, RESTLET) and the script reads the stored value', () => {
    const { status, body } = post(account, { action: 'view', id });
    expect(status).toBe(200);
    expect(body).toEqual({ text: 'stored' });
    expect(seen()).toEqual([{ type: 'view', executionContext: 'RESTLET', id: Number(id), text: 'stored', hasRequest: false }]);
  });

  it('3.2: a REST web services read (restRecords, what the HTTP host serves) fires beforeLoad in context RESTWEBSERVICES', () => {
    const data = account.restRecords.load('customrecord_fx_viewed', id);
    expect(data.fields['custrecord_fx_viewed_text']).toBe('stored');
    expect(seen()).toEqual([expect.objectContaining({ type: 'view', executionContext: 'RESTWEBSERVICES' })]);
    // Reads straight from the engine are the account's own (seeding, tests): no User Events.
    account.engine.load('customrecord_fx_viewed', id);
    expect(seen()).toHaveLength(1);
  });

  it('3.2: a record type without a beforeLoad deployment runs no script on load', () => {
    const note = account.engine.newRecord('customrecord_fx_note');
    note.fields['name'] = 'n';
    const noteId = account.engine.save(note);
    account.ui.load('customrecord_fx_note', noteId);
    expect(account.usage()).toEqual([]);
  });
});
