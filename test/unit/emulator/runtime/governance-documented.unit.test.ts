// Governance against NetSuite's PUBLISHED numbers, not our own tables: every N/* call the local account charges,
// with its documented unit cost per record category (transaction / custom record / other) and the help page it
// comes from, measured by running the call in a fixture script under the emulator; then the documented unit
// limits per script type and Map/Reduce stage, measured by scripts that spend units until a call is refused.
//
// The expected numbers below are quoted from Oracle NetSuite Help Center pages (title and page id;
// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/<id>.html) and the repository's NetSuite platform
// reference (section 1.1 for unit costs, 1.2 for limits). The expected costs are the documented table in
// core/netsuite/restlet-api/documented-costs.ts (also what the benchmarks' floors read), which holds the published
// numbers with their sources and nothing else; neither the emulator's charging table nor the middleware's planning
// table is used for an expected value: CHARGED_APIS is imported only as the list of names the meter accepts (a
// metered call without a documented row fails this test), and the middleware's planning table is imported as a
// value under test.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount } from '../../../../emulator';
import { LOAD_UNITS, SAVE_UNITS, SEARCH_UNITS } from '../../../../core/netsuite/restlet-api/governance';
import {
  DOCUMENTED_COSTS,
  DOCUMENTED_RECORD_LOAD_COSTS,
  DOCUMENTED_RECORD_SAVE_COSTS,
  type DocumentedCost,
} from '../../../../core/netsuite/restlet-api/documented-costs';
import { CHARGED_APIS } from '../../../../emulator/runtime/governance';

const PROJECT = path.join(__dirname, '..', '..', '..', 'fixtures', 'emulator-scripts', 'governance');

type Category = 'transaction' | 'custom' | 'other';

interface DocumentedCall extends DocumentedCost {
  /** Categories NetSuite documents a cost for that no emulated record can reach, and why. */
  unreachable?: Partial<Record<Category, string>>;
  /** Extra request fields for the probe. */
  probe?: Record<string, unknown>;
}

const RECORD_LOAD_COSTS = DOCUMENTED_RECORD_LOAD_COSTS;
const RECORD_SAVE_COSTS = DOCUMENTED_RECORD_SAVE_COSTS;

/** What probing a documented call needs beyond the table: categories no emulated record can reach, probe fields. */
const PROBES: Record<string, Pick<DocumentedCall, 'unreachable' | 'probe'>> = {
  'record.transform': {
    unreachable: {
      custom: 'no supported transformation (5.2) produces a custom record',
      other: 'the only transformation to a non-transaction type (customer -> vendor) targets a type the local account does not have',
    },
  },
  'https.request': { probe: { method: 'HEAD' } },
};

/** NetSuite's documented unit costs (reference 1.1 and the help pages named; core/netsuite/restlet-api/documented-costs.ts). */
const DOCUMENTED: DocumentedCall[] = DOCUMENTED_COSTS.map((row) => ({ ...row, ...(PROBES[row.call] ?? {}) }));

/** NetSuite's documented unit limits (reference 1.2). */
const LIMITS = {
  restlet: { units: 5000, source: '1.2; Script Type Usage Unit Limits (section_N3351480); RESTlet Governance and Security (section_4640094112)' },
  userEvent: { units: 1000, source: '1.2; Script Type Usage Unit Limits (section_N3351480): User Event, per entry point' },
  scheduled: { units: 10000, source: '1.2; Script Type Usage Unit Limits (section_N3351480); Scheduled Script Governance (bridgehead_1506711317)' },
  mapReduce: {
    getInputData: 10000, map: 1000, reduce: 5000, summarize: 10000,
    source: '1.2; Map/Reduce Governance (section_4480364878): per getInputData invocation, per map() call, per reduce() call, summarize',
  },
};

let account: LocalAccount;
let ids: Record<string, string>;

beforeEach(() => {
  account = createLocalAccount({ projectDir: PROJECT, accountId: 'TSTDRV2468024' });
  ids = setup(account);
});
afterEach(async () => {
  await account.close();
});

/** Records the probes work on, made straight in the engine (no units charged). */
function setup(a: LocalAccount): Record<string, string> {
  const e = a.engine;
  const make = (type: string, fields: Record<string, unknown>, sublists: Record<string, Array<Record<string, unknown>>> = {}) => {
    const r = e.newRecord(type);
    Object.assign(r.fields, fields);
    Object.assign(r.sublists, sublists);
    return e.save(r);
  };
  const customer = make('customer', { companyname: 'Governance Co' });
  const spareCustomer = make('customer', { companyname: 'Deletable Co' });
  const location = make('location', { name: 'Governance Warehouse' });
  const item = make('noninventoryitem', { itemid: 'GV-1', displayname: 'Governance item' });
  const order = () => make('salesorder', { entity: customer, location }, { item: [{ item, quantity: 1, rate: '5.00' }] });
  const plain = () => make('customrecord_gv_plain', { name: 'plain', custrecord_gv_plain_text: 'x' });
  for (let i = 0; i < 7; i++) plain(); // two pages of five for Page.next / Page.prev
  return { customer, spareCustomer, location, item, salesorder: order(), spareOrder: order(), custom: plain(), spareCustom: plain() };
}

/** The fixture RESTlet's request for a call on a record of a category. */
function probeBody(row: DocumentedCall, category: Category | 'any'): Record<string, unknown> {
  const body: Record<string, unknown> = { call: row.call, ...(row.probe ?? {}) };
  if (category === 'any') return { ...body, id: ids.custom };
  const type = { transaction: 'salesorder', custom: 'customrecord_gv_plain', other: 'customer' }[category];
  const id = { transaction: ids.salesorder, custom: ids.custom, other: ids.customer }[category];
  const values = { transaction: { memo: 'changed' }, custom: { custrecord_gv_plain_text: 'changed' }, other: { email: 'gov@example.test' } }[category];
  if (row.call === 'record.transform') return { ...body, fromType: 'salesorder', type: 'itemfulfillment', id: ids.salesorder };
  if (row.call === 'record.delete') {
    return { ...body, type, id: { transaction: ids.spareOrder, custom: ids.spareCustom, other: ids.spareCustomer }[category] };
  }
  return { ...body, type, id, values };
}

function run(body: Record<string, unknown>) {
  account.clearUsage();
  const out = account.restlets.invokeSync({
    script: 'customscript_gv_rl', deploy: 'customdeploy_gv_rl', method: 'POST', contentType: 'application/json',
    body: JSON.stringify(body), query: {},
  });
  const report = account.usage().at(-1);
  if (out.status !== 200 || !report) throw new Error(`probe ${JSON.stringify(body)} answered ${out.status}: ${out.body}`);
  return { report, measured: (JSON.parse(out.body) as { units?: number }).units };
}

describe('unit costs: every metered call against NetSuite\'s documented cost (1.1)', () => {
  const cases: Array<[string, Category | 'any', number, string]> = [];
  for (const row of DOCUMENTED) {
    if (typeof row.units === 'number') cases.push([row.call, 'any', row.units, row.source]);
    else {
      for (const [category, units] of Object.entries(row.units) as Array<[Category, number]>) {
        if (!row.unreachable?.[category]) cases.push([row.call, category, units, row.source]);
      }
    }
  }

  it.each(cases)('%s (record category: %s) costs %d units (%s)', (call, category, units) => {
    const row = DOCUMENTED.find((r) => r.call === call) as DocumentedCall;
    const { report, measured } = run(probeBody(row, category));
    // What the script saw: Script.getRemainingUsage() before and after the call.
    expect(measured).toBe(units);
    // What the usage report says of the call (the probe's last metered call; set-up calls come before it).
    const last = report.calls.at(-1);
    expect(last?.api).toBe(row.api);
    expect(last?.units).toBe(units);
    if (category !== 'any' && row.api.startsWith('record.')) {
      const expectedType = row.call === 'record.transform' ? 'itemfulfillment' : probeBody(row, category).type;
      expect(last?.recordType).toBe(expectedType);
    }
  });

  it('every API the emulator meters has a documented row here, and every row is probed', () => {
    const documented = new Set(DOCUMENTED.map((r) => r.api));
    expect([...CHARGED_APIS].filter((api) => !documented.has(api))).toEqual([]);
    expect([...documented].filter((api) => !CHARGED_APIS.has(api))).toEqual([]);
  });

  it('the modules charge no name outside that list (source scan of emulator/modules)', () => {
    const dir = path.join(__dirname, '..', '..', '..', '..', 'emulator', 'modules');
    const names = new Set<string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of source.matchAll(/charge\(\s*'([^']+)'/g)) names.add(m[1] as string);
      // Names charged through a lookup table (https: one name per method).
      for (const table of source.matchAll(/const API_NAME[^=]*=\s*\{([^}]*)\}/g)) {
        for (const m of (table[1] as string).matchAll(/'([a-z]+\.[a-zA-Z]+)'/g)) names.add(m[1] as string);
      }
    }
    expect(names.size).toBeGreaterThan(10);
    const documented = new Set(DOCUMENTED.map((r) => r.api));
    expect([...names].filter((n) => !documented.has(n))).toEqual([]);
  });

  it("the middleware's planning table (core/netsuite/restlet-api/governance.ts) holds the same documented costs", () => {
    expect(LOAD_UNITS).toEqual(RECORD_LOAD_COSTS);
    expect(SAVE_UNITS).toEqual(RECORD_SAVE_COSTS);
    // The RESTlet's searches use ResultSet.getRange / each.
    expect(SEARCH_UNITS).toBe((DOCUMENTED.find((r) => r.call === 'search.getRange') as DocumentedCall).units);
    expect(SEARCH_UNITS).toBe((DOCUMENTED.find((r) => r.call === 'search.each') as DocumentedCall).units);
  });

  it('record.transform is charged by the category of the record it creates (UNCONFIRMED which side NetSuite uses)', () => {
    // customer (other) -> salesorder (transaction): the emulator charges the transaction cost.
    const { report } = run({ call: 'record.transform', fromType: 'customer', id: ids.customer, type: 'salesorder' });
    expect(report.calls.map((c) => [c.api, c.recordType, c.units])).toEqual([['record.transform', 'salesorder', RECORD_LOAD_COSTS.transaction]]);
  });
});

describe('unit limits per script type and Map/Reduce stage, measured by spending units until refused (1.2)', () => {
  type Burn = { stage: string; used: number; error: string; remaining: number };
  const burns = (): Burn[] => account.logs().filter((l) => l.title === 'burn').map((l) => JSON.parse(l.details) as Burn);

  it(`RESTlet: ${LIMITS.restlet.units} units (${LIMITS.restlet.source})`, () => {
    const { report } = run({ call: 'burn' });
    expect(burns()).toEqual([{ stage: 'post', used: LIMITS.restlet.units, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 }]);
    expect(report.unitsUsed).toBe(LIMITS.restlet.units);
  });

  it(`User Event: ${LIMITS.userEvent.units} units for each entry point (${LIMITS.userEvent.source})`, () => {
    account.ui.create('customrecord_gv_burn', { fields: { name: 'burn', custrecord_gv_burn_text: 'x' } });
    expect(burns()).toEqual([
      { stage: 'beforeSubmit', used: LIMITS.userEvent.units, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 },
      { stage: 'afterSubmit', used: LIMITS.userEvent.units, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 },
    ]);
  });

  it(`Scheduled: ${LIMITS.scheduled.units} units (${LIMITS.scheduled.source})`, () => {
    const result = account.runScheduled('customscript_gv_sched');
    expect(result.error).toBeNull();
    expect(burns()).toEqual([{ stage: 'execute', used: LIMITS.scheduled.units, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 }]);
  });

  it(`Map/Reduce: getInputData ${LIMITS.mapReduce.getInputData}, map ${LIMITS.mapReduce.map}, reduce ${LIMITS.mapReduce.reduce}, summarize ${LIMITS.mapReduce.summarize} (${LIMITS.mapReduce.source})`, () => {
    const result = account.runMapReduce('customscript_gv_mr');
    expect(result.inputError).toBeNull();
    expect(result.summarizeError).toBeNull();
    expect(burns()).toEqual([
      { stage: 'getInputData', used: LIMITS.mapReduce.getInputData, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 },
      { stage: 'map', used: LIMITS.mapReduce.map, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 },
      { stage: 'reduce', used: LIMITS.mapReduce.reduce, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 },
      { stage: 'summarize', used: LIMITS.mapReduce.summarize, error: 'SSS_USAGE_LIMIT_EXCEEDED', remaining: 0 },
    ]);
    expect(result.output).toEqual([{ key: 'k', value: 'done' }]);
  });
});
