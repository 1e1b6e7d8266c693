/**
 * The sandbox refund console's web page: one self-contained HTML document (inline CSS and JS, no external assets,
 * works offline) that lists the sample orders, offers each order the one refund its direction allows and polls
 * GET /orders/{platform}/{orderId}/refunds to show each refund's state as it syncs.
 *
 * The page builds every row from GET /orders with textContent (never innerHTML), and is served with a
 * Content-Security-Policy that allows exactly its own inline script and style (by SHA-256 hash) and requests to its
 * own origin: nothing else loads or runs.
 *
 * Every POST the page makes carries the console's token (a fresh one each start, in a <meta> tag of the page) in the
 * X-Ledgerbridge-Console-Token header with Content-Type application/json; the console refuses POSTs without them
 * (refund-sandbox.ts), so another site open in the same browser cannot make refunds through it.
 */
import { createHash } from 'node:crypto';

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5a6272; --line: #d9dde5; --bg: #f6f7f9; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
header, main { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 1.45rem; margin: 0 0 6px; }
header p { margin: 0 0 6px; color: var(--muted); max-width: 80ch; }
#load-error { color: #a4161a; font-weight: 600; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); margin: 14px 0 32px; }
caption { text-align: left; font-weight: 600; padding: 0 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 9px 10px; border-bottom: 1px solid var(--line); }
thead th { background: #eef1f5; font-size: .82rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
tbody tr.group-start td, tbody tr.group-start th { border-top: 2px solid #c3c9d4; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .84rem; font-weight: normal; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.origin { margin-left: 8px; font-size: .82rem; color: var(--muted); }
.muted { color: var(--muted); }
.note { display: block; margin-top: 5px; font-size: .82rem; color: var(--muted); max-width: 38ch; }
button { font: inherit; font-size: .9rem; padding: 6px 11px; border-radius: 5px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; white-space: nowrap; }
button:hover:not(:disabled) { background: #174a96; }
button:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
button:disabled { background: #e3e6eb; border-color: #c9ced6; color: #6b7280; cursor: not-allowed; }
.action-error { margin: 6px 0 0; color: #a4161a; font-size: .86rem; max-width: 40ch; }
.action-error:empty { display: none; }
.status { min-width: 270px; }
tbody th { font-weight: normal; }
.platform { font-weight: 600; }
.status ul { list-style: none; margin: 0; padding: 0; }
.status li + li { margin-top: 8px; padding-top: 8px; border-top: 1px dashed var(--line); }
.badge { display: inline-block; min-width: 68px; text-align: center; padding: 1px 8px; border-radius: 999px; font-size: .8rem; font-weight: 600; border: 1px solid transparent; }
.s-received, .s-queued { background: #eef1f5; color: #394150; border-color: #cfd5df; }
.s-posting { background: #fff4d6; color: #6b4e00; border-color: #f0d48a; }
.s-posted { background: #dff3e4; color: #17612d; border-color: #9fd5ac; }
.s-skipped { background: #eef0f3; color: #3d4654; border-color: #c4cad3; }
.s-parked { background: #fde9d7; color: #8a3b00; border-color: #f2b98a; }
.s-failed { background: #fbe0e0; color: #a4161a; border-color: #eba3a3; }
.s-cancelled { background: #ececec; color: #4b4b4b; border-color: #cfcfcf; }
.s-waiting { background: #fff; color: var(--muted); border-color: var(--line); }
.detail { display: block; margin-top: 3px; }
.message { display: block; margin-top: 3px; color: #8a3b00; font-size: .86rem; }
.trail { display: block; margin-top: 3px; font-size: .8rem; color: var(--muted); }
`;

const SCRIPT = `
'use strict';
(function () {
  var PLATFORMS = { shopify: 'Shopify', magento: 'Magento', ebay: 'eBay', amazon: 'Amazon' };
  var BILLING = { cash_sale: 'Cash sale', invoice_paid: 'Invoice, paid', invoice_open: 'Invoice, open', deposit: 'Customer deposit' };
  var RECORDS = { salesorder: 'sales order', cashsale: 'cash sale', invoice: 'invoice', customerdeposit: 'customer deposit',
    cashrefund: 'cash refund', creditmemo: 'credit memo', customerrefund: 'customer refund' };
  var SETTLED = { posted: true, skipped: true, parked: true, failed: true, cancelled: true };
  var POLL_MS = 1500;
  var TOKEN_META = document.querySelector('meta[name="ledgerbridge-console-token"]');
  var TOKEN = TOKEN_META ? TOKEN_META.getAttribute('content') || '' : '';
  var rows = [];
  var tick = 0;

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.appendChild(arguments[i]);
    return node;
  }
  function recordName(type) { return RECORDS[type] || type || 'record'; }
  function orderPath(o) { return '/orders/' + encodeURIComponent(o.platform) + '/' + encodeURIComponent(o.orderId); }
  function outbound(o) { return o.direction === 'netsuite_to_platform'; }

  function actionOf(o) {
    var name = PLATFORMS[o.platform];
    var billing = o.netsuite.billingId ? recordName(o.netsuite.billingType) + ' #' + o.netsuite.billingId : null;
    if (outbound(o)) {
      if (!o.netsuite.billingId || o.netsuite.billingType === 'customerdeposit') {
        return { label: 'Refund in NetSuite', path: '/netsuite-refund', disabled: true,
          note: 'Only a customer deposit in NetSuite: no cash sale or invoice to refund there.' };
      }
      var made = o.netsuite.billingType === 'cashsale' ? 'a cash refund' : 'a credit memo';
      return { label: 'Refund in NetSuite', path: '/netsuite-refund',
        note: 'Makes ' + made + ' from ' + billing + ' in NetSuite; Ledgerbridge\\u2019s sweep posts it to ' + name + '.' };
    }
    var lands = o.billing === 'cash_sale' ? 'a cash refund from ' + billing
      : o.billing === 'invoice_open' ? 'a credit memo on ' + billing
      : o.billing === 'invoice_paid' ? 'a credit memo on ' + billing + ' and a customer refund'
      : billing ? 'a customer refund from ' + billing : 'a refund record';
    return { label: 'Refund 1 \\u00d7 LB-STOVE on ' + name, path: '/refund', body: o.platform === 'ebay' ? { amount: '49.50' } : { quantity: 1 },
      note: 'Refunds 49.50 on ' + name + '; Ledgerbridge posts ' + lands + ' in NetSuite.' };
  }

  // Shopify and Magento report the refund Ledgerbridge posted back to it (a webhook, a poll): the flow records it
  // as its own and does not import it. Same storefront refund id as an outbound refund of the order = that echo.
  function isEcho(row, r) {
    return r.direction === 'inbound' && r.storefrontRefundId && row.refunds.some(function (x) {
      return x.direction === 'outbound' && x.storefrontRefundId === r.storefrontRefundId;
    });
  }

  function echoItem(row, r) {
    return el('li', { 'data-echo': r.state || 'pending' },
      el('span', { className: 'trail', text: PLATFORMS[row.order.platform] + ' reported refund ' + r.storefrontRefundId +
        ' back: recognised as Ledgerbridge\u2019s own, not imported into NetSuite (' + (r.state || 'pending') + ').' }));
  }

  function refundItem(row, r) {
    if (isEcho(row, r)) return echoItem(row, r);
    var o = row.order;
    var state = r.state || 'waiting';
    var ns = r.netsuite && r.netsuite.internalId
      ? recordName(r.netsuite.recordType) + ' #' + r.netsuite.internalId + (r.netsuite.total ? ', ' + r.netsuite.total + ' ' + (r.netsuite.currency || '') : '')
      : 'not written yet';
    var store = r.storefrontRefundId ? PLATFORMS[o.platform] + ' refund ' + r.storefrontRefundId : PLATFORMS[o.platform] + ' refund: not made yet';
    var trail = (r.history || []).map(function (h) { return h.to; }).join(' \\u2192 ');
    var li = el('li', { 'data-state': state, 'data-direction': r.direction || '' },
      el('span', { className: 'badge s-' + state, text: state }),
      el('span', { className: 'origin', text: r.direction === 'outbound' ? 'made in NetSuite' : 'made on ' + PLATFORMS[o.platform] }),
      el('span', { className: 'detail', text: 'NetSuite: ' + ns }),
      el('span', { className: 'detail', text: store }));
    if ((state === 'skipped' || state === 'parked' || state === 'failed' || state === 'cancelled') && (r.stateMessage || r.stateCode)) {
      li.appendChild(el('span', { className: 'message', text: (r.stateCode ? r.stateCode + ': ' : '') + (r.stateMessage || '') }));
    }
    if (trail) li.appendChild(el('span', { className: 'trail', text: trail }));
    return li;
  }

  function render(row) {
    var list = el('ul');
    row.refunds.forEach(function (r) { list.appendChild(refundItem(row, r)); });
    if (row.waiting) list.appendChild(el('li', { 'data-state': 'waiting' }, el('span', { className: 'badge s-waiting', text: 'waiting' }),
      el('span', { className: 'detail', text: row.waiting })));
    row.status.replaceChildren(row.refunds.length || row.waiting ? list : el('span', { className: 'muted', text: 'No refunds yet.' }));
  }

  function poll(row) {
    if (row.inFlight) return;
    row.inFlight = true;
    fetch(orderPath(row.order) + '/refunds', { headers: { accept: 'application/json' } })
      .then(function (res) { return res.json().then(function (json) { if (!res.ok) throw new Error(json.error ? json.error.message : 'HTTP ' + res.status); return json; }); })
      .then(function (json) {
        if (json.refunds.length > row.seen) row.waiting = null;
        row.refunds = json.refunds;
        row.active = row.waiting !== null || json.refunds.some(function (r) { return !SETTLED[r.state]; });
        render(row);
      })
      .catch(function (error) { row.status.replaceChildren(el('span', { className: 'message', text: 'Status unavailable: ' + error.message })); })
      .then(function () { row.inFlight = false; });
  }

  function act(row) {
    var a = row.action;
    row.error.textContent = '';
    row.button.disabled = true;
    row.button.setAttribute('aria-busy', 'true');
    fetch(orderPath(row.order) + a.path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ledgerbridge-console-token': TOKEN }, body: JSON.stringify(a.body || {}) })
      .then(function (res) { return res.json().then(function (json) { return { res: res, json: json }; }); })
      .then(function (out) {
        if (!out.res.ok) throw new Error(out.json.error ? out.json.error.message : 'HTTP ' + out.res.status);
        var name = PLATFORMS[row.order.platform];
        row.seen = row.refunds.length;
        row.waiting = outbound(row.order)
          ? 'NetSuite ' + recordName(out.json.recordType) + ' #' + out.json.id + ' made; waiting for Ledgerbridge\\u2019s sweep to pick it up.'
          : name + ' refund made; waiting for Ledgerbridge to pick it up.';
        row.active = true;
        render(row);
        poll(row);
      })
      .catch(function (error) { row.error.textContent = 'Could not refund: ' + error.message; })
      .then(function () { row.button.disabled = false; row.button.removeAttribute('aria-busy'); });
  }

  function addRow(tbody, o, index, previous) {
    var a = actionOf(o);
    var name = PLATFORMS[o.platform];
    var id = 'o' + index;
    var button = el('button', { type: 'button', 'aria-describedby': id + '-note', text: a.label });
    if (a.disabled) button.disabled = true;
    var error = el('p', { className: 'action-error', role: 'alert' });
    var status = el('td', { className: 'status', 'aria-live': 'polite', 'aria-label': 'Refund status of ' + name + ' order ' + o.orderId });
    var ns = el('td', { className: 'nowrap' }, el('span', { text: 'Sales order #' + o.netsuite.salesOrderId }));
    if (o.netsuite.billingId) ns.appendChild(el('span', { className: 'detail', text: recordName(o.netsuite.billingType).replace(/^./, function (c) { return c.toUpperCase(); }) + ' #' + o.netsuite.billingId }));
    var tr = el('tr', { 'data-platform': o.platform, 'data-order-id': o.orderId, 'data-billing': o.billing },
      el('th', { scope: 'row' }, el('span', { className: 'platform', text: name }), el('span', { className: 'mono detail', text: o.orderId })),
      el('td', { className: 'nowrap', text: BILLING[o.billing] || o.billing }),
      el('td', { className: 'nowrap', text: outbound(o) ? 'NetSuite \\u2192 ' + name : name + ' \\u2192 NetSuite' }),
      ns,
      el('td', null, button, el('span', { className: 'note', id: id + '-note', text: a.note }), error),
      status);
    if (previous && previous !== o.billing) tr.className = 'group-start';
    tbody.appendChild(tr);
    var row = { order: o, action: a, button: button, error: error, status: status, refunds: [], seen: 0, waiting: null, active: false, inFlight: false };
    button.addEventListener('click', function () { act(row); });
    rows.push(row);
    render(row);
    poll(row);
  }

  fetch('/orders', { headers: { accept: 'application/json' } })
    .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
    .then(function (json) {
      var tbody = document.getElementById('orders');
      var previous = null;
      json.orders.forEach(function (o, i) { addRow(tbody, o, i, previous); previous = o.billing; });
      // Orders with a refund on its way are polled every tick; the others every fifth (to see refunds made elsewhere).
      setInterval(function () {
        tick += 1;
        rows.forEach(function (row) { if (row.active || tick % 5 === 0) poll(row); });
      }, POLL_MS);
    })
    .catch(function (error) { document.getElementById('load-error').textContent = 'Could not load the sample orders: ' + error.message; });
})();
`;

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ledgerbridge sandbox \u2014 refund console</title>
<meta name="ledgerbridge-console-token" content="__CONSOLE_TOKEN__">
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Refund console</h1>
<p>Sample orders on the simulated platforms, each matching an order in the local NetSuite account. Shopify and Magento
sync refunds NetSuite \u2192 cart: refund in NetSuite and watch the refund appear on the cart. eBay and Amazon sync
platform \u2192 NetSuite: refund on the marketplace and watch the NetSuite record appear.</p>
<p>Status updates by itself: received \u2192 queued \u2192 posting \u2192 posted (or skipped / parked / failed, with the reason).</p>
<p id="load-error" role="alert"></p>
</header>
<main>
<table>
<caption>Sample orders</caption>
<thead><tr><th scope="col">Order</th><th scope="col">Billing</th><th scope="col">Direction</th><th scope="col">NetSuite</th><th scope="col">Action</th><th scope="col">Refunds</th></tr></thead>
<tbody id="orders"></tbody>
</table>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Only this page's own inline script and style run; it talks to its own origin; nothing frames it. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsolePage {
  html: string;
  headers: Record<string, string>;
}

/** The header the page sends the console's token in. */
export const CONSOLE_TOKEN_HEADER = 'x-ledgerbridge-console-token';

/**
 * The page for one console start, carrying its token, and the headers to serve it with (Content-Type is the
 * caller's: text/html; charset=utf-8). The token must be URL-safe base64 (it is written into an attribute as is).
 */
export function consolePage(token: string): ConsolePage {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new TypeError('the console token must be URL-safe base64 of at least 16 characters');
  return {
    html: HTML.replace('__CONSOLE_TOKEN__', token),
    headers: {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
  };
}
