// Composition of the local account: discovery of scripts and deployments from Objects (reference 4: SDF
// object XML), custom records registered with the engine, seed data, and the UI's beforeLoad (3.2).
import { discoverProject } from '../../../../emulator/runtime/discovery';
import { FIXTURE_DIR, fixtureAccount } from './fixture';

describe('discovery (4)', () => {
  const project = discoverProject(FIXTURE_DIR);

  it('reads script type, file, parameters and deployments with record types, contexts, status and values', () => {
    const ue = project.scripts.find((s) => s.scriptId === 'customscript_fx_ue_note');
    expect(ue).toMatchObject({ scriptType: 'UserEventScript', cabinetPath: '/SuiteScripts/fidelity/ue_note.js' });
    expect(ue?.deployments[0]).toMatchObject({
      deployId: 'customdeploy_fx_ue_note',
      recordType: 'customrecord_fx_note',
      executionContexts: ['RESTLET', 'USERINTERFACE'],
      status: 'RELEASED',
      isDeployed: true,
    });
    const rl = project.scripts.find((s) => s.scriptId === 'customscript_fx_rl');
    expect(rl?.parameters.map((p) => [p.id, p.fieldType, p.defaultValue])).toEqual([
      ['custscript_fx_rl_greeting', 'TEXT', 'hello'],
      ['custscript_fx_rl_limit', 'INTEGER', null],
      ['custscript_fx_rl_on', 'CHECKBOX', null],
    ]);
    expect(rl?.deployments.map((d) => [d.deployId, d.number, d.isDeployed, d.parameters])).toEqual([
      ['customdeploy_fx_rl', 1, true, { custscript_fx_rl_limit: '42', custscript_fx_rl_on: 'T' }],
      ['customdeploy_fx_rl_off', 2, false, {}],
    ]);
    expect(project.customRecordTypes.map((c) => c.scriptid).sort()).toEqual(['customrecord_fx_audit', 'customrecord_fx_note', 'customrecord_fx_plain', 'customrecord_fx_viewed']);
  });
});

describe('the account', () => {
  it('registers the project custom records with the engine (category custom: 1.1)', async () => {
    const account = fixtureAccount();
    expect(account.engine.isKnownType('customrecord_fx_plain')).toBe(true);
    expect(account.engine.category('customrecord_fx_plain')).toBe('custom');
    await account.close();
  });

  it('loads a seed into the engine without firing scripts, and refuses a bad seed naming the entry', async () => {
    const account = fixtureAccount({ seed: { customers: [{ externalId: 'seed-c1', name: 'Seeded Co' }] } });
    const id = account.seeded?.customers['seed-c1'];
    expect(account.engine.load('customer', id as string).fields['companyname']).toBe('Seeded Co');
    expect(account.usage()).toEqual([]);
    await account.close();
    expect(() => fixtureAccount({ seed: { customers: [{ externalId: 'x', nmae: 'typo' }] } })).toThrow(/customers/);
  });

  it('3.2: a UI edit (open, change, save) runs beforeSubmit and afterSubmit once each', async () => {
    const account = fixtureAccount();
    const id = account.ui.create('customrecord_fx_note', { fields: { name: 'n', custrecord_fx_note_text: 'a' } });
    account.clearUsage();
    const data = account.ui.load('customrecord_fx_note', id);
    expect(account.usage()).toEqual([]); // the fixture UE has no beforeLoad
    data.fields['custrecord_fx_note_text'] = 'b';
    account.ui.save(data);
    expect(account.usage().map((r) => r.entryPoint)).toEqual(['beforeSubmit', 'afterSubmit']);
    await account.close();
  });
});
