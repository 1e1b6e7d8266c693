// eBay and Amazon channels whose seller withdrew consent: the refresh token is refused (invalid_grant), and the
// refund flow reports it where people look — the refund's sync record (eBay, NetSuite -> eBay) and the sweep's
// errors (Amazon polling) — with the coded "needs re-authorisation" error, not a crash.
import { startEbaySimulator, type EbaySimulator } from '../../../middleware/simulators/ebay';
import { startAmazonSimulator, type AmazonSimulator } from '../../../middleware/simulators/amazon';
import { addChannel, netsuiteOrder, startStack, waitForState, type Stack } from './stack';

let stack: Stack;
let ebay: EbaySimulator;
let amazon: AmazonSimulator;
const channels = { ebay: '', amazon: '' };
const link = { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' } };

beforeAll(async () => {
  [stack, ebay, amazon] = await Promise.all([startStack(), startEbaySimulator({ seedSampleOrders: false }), startAmazonSimulator({ seedSampleOrders: false })]);
  ebay.oauth.revokeRefreshToken();
  amazon.revokeRefreshToken();
  channels.ebay = await addChannel(stack, 'ebay', { refundDirection: 'netsuite_to_platform', refunds: link }, { clientId: ebay.clientId, clientSecret: ebay.clientSecret, refreshToken: ebay.refreshToken }, ebay.url);
  channels.amazon = await addChannel(stack, 'amazon', { marketplaceId: 'ATVPDKIKX0DER', sellerId: 'A1SELLER', refunds: link }, { lwaClientId: amazon.lwaClientId, lwaClientSecret: amazon.lwaClientSecret, refreshToken: amazon.refreshToken }, amazon.url);
}, 30_000);
afterAll(async () => {
  await Promise.all([stack?.close(), ebay?.close(), amazon?.close()]);
});

it('eBay: a refund made in NetSuite fails on its sync record with ebay_reauthorization_required; nothing reaches eBay', async () => {
  const order = ebay.createOrder({ lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] });
  const ns = netsuiteOrder(stack, order.orderId, [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'cashsale');
  const cashRefundId = stack.account.ui.transform('cashsale', ns.billingId as string, 'cashrefund');
  await stack.mw.refunds.sweep();
  const row = (await stack.mw.db.query<{ id: string; channel_id: string }>('select s.id, s.channel_id from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where e.platform_event_id = $1', [`netsuite:cashrefund:${cashRefundId}`])).rows[0];
  expect(row?.channel_id).toBe(channels.ebay);
  const settled = await waitForState(stack, row?.id ?? '', ['failed', 'posted']);
  expect(settled).toMatchObject({ state: 'failed', state_code: 'ebay_reauthorization_required' });
  expect(settled.state_message).toContain('needs re-authorisation');
  expect(settled.state_message).not.toContain(ebay.refreshToken);
  expect(ebay.state.requests.some((r) => r.path.startsWith('/sell/'))).toBe(false);
  expect(order.refunds).toHaveLength(0);
});

it('Amazon: the poll reports the channel needs re-authorisation and the sweep carries on', async () => {
  const sweep = await stack.mw.refunds.sweep();
  const amazonErrors = sweep.errors.filter((e) => e.includes(channels.amazon));
  expect(amazonErrors).toHaveLength(1);
  expect(amazonErrors[0]).toContain('needs re-authorisation');
  expect(amazonErrors[0]).not.toContain(amazon.refreshToken);
  expect(amazon.state.requests.some((r) => r.path.startsWith('/finances/'))).toBe(false);
});
