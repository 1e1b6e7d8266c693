/** A local NetSuite account seeded for the bundle's RESTlet and outbox tests, and a typed way to call the RESTlet. */
import { createLocalAccount, type LocalAccount } from '../../../emulator';
import type { RestletAction, RestletRequest, RestletResponses } from '../../../core/contracts/restlet';

export const SCRIPT = 'customscript_lb_rl_api';
export const DEPLOY = 'customdeploy_lb_rl_api';

export interface Seeded {
  account: LocalAccount;
  customerId: string;
  items: Record<string, string>;
  /** A cash sale of 2 × SKU-A at 10.00 and 1 × SKU-B at 5.50, with a storefront order id field. */
  cashSaleId: string;
}

export function seededAccount(options: Parameters<typeof createLocalAccount>[0] = {}): Seeded {
  const account = createLocalAccount(options);
  const customerId = account.ui.create('customer', { fields: { companyname: 'Acme Retail', entityid: 'Acme Retail' } });
  const items: Record<string, string> = {};
  for (const [sku, price] of [['SKU-A', '10.00'], ['SKU-B', '5.50'], ['ADJ', '0.00']] as const) {
    items[sku] = account.ui.create(sku === 'ADJ' ? 'otherchargeitem' : 'inventoryitem', { fields: { itemid: sku, displayname: sku, baseprice: Number(price) } });
  }
  const cashSaleId = account.ui.create('cashsale', {
    fields: { entity: customerId, externalid: 'shop:order:1001', memo: 'order #1001' },
    sublists: {
      item: [
        { item: items['SKU-A'] as string, quantity: 2, rate: 10 },
        { item: items['SKU-B'] as string, quantity: 1, rate: 5.5 },
      ],
    },
  });
  account.clearUsage();
  return { account, customerId, items, cashSaleId };
}

/** Calls the RESTlet in-process (no HTTP) as the host would, returning the parsed answer and the units used. */
export async function invoke<A extends RestletAction>(
  account: LocalAccount,
  request: Extract<RestletRequest, { action: A }> | Record<string, unknown>,
): Promise<{ status: number; body: RestletResponses[A]; units: number }> {
  const outcome = await account.restlets.invoke({
    script: SCRIPT,
    deploy: DEPLOY,
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify(request),
    query: {},
  });
  let parsed: unknown = JSON.parse(outcome.body);
  if (typeof parsed === 'string') parsed = JSON.parse(parsed);
  return { status: outcome.status, body: parsed as RestletResponses[A], units: outcome.unitsUsed };
}
