/** A local NetSuite account with a customer and SKUs, for the NetSuite benchmarks. */
import { createLocalAccount, type LocalAccount } from '../../emulator';
import type { RestletAction, RestletResponses } from '../../core/contracts/restlet';

export interface BenchAccount {
  account: LocalAccount;
  customerId: string;
  items: Record<string, string>;
}

export function benchAccount(accountId = 'TSTDRV0000001'): BenchAccount {
  const account = createLocalAccount({ accountId });
  const customerId = account.ui.create('customer', { fields: { companyname: 'Bench Co', entityid: 'Bench Co' } });
  const items: Record<string, string> = {};
  for (const sku of ['SKU-A', 'SKU-B', 'ADJ']) {
    items[sku] = account.ui.create(sku === 'ADJ' ? 'otherchargeitem' : 'inventoryitem', { fields: { itemid: sku, displayname: sku } });
  }
  account.clearUsage();
  return { account, customerId, items };
}

export async function invoke<A extends RestletAction>(account: LocalAccount, request: Record<string, unknown>): Promise<{ body: RestletResponses[A]; units: number }> {
  const outcome = await account.restlets.invoke({
    script: 'customscript_lb_rl_api',
    deploy: 'customdeploy_lb_rl_api',
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify(request),
    query: {},
  });
  let parsed: unknown = JSON.parse(outcome.body);
  if (typeof parsed === 'string') parsed = JSON.parse(parsed);
  return { body: parsed as RestletResponses[A], units: outcome.unitsUsed };
}
