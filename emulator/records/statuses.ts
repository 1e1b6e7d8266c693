/**
 * Transaction statuses (reference/netsuite-platform.md 5.5). A stored record carries the UI text in `status`
 * (what record.getValue('status') returns, e.g. 'Pending Billing') and the internal reference in `statusRef`
 * (e.g. 'pendingBilling'; the camelCase form is UNCONFIRMED for SuiteScript). Search filters take the
 * `Type:Letter` code ('SalesOrd:F'), a bare letter, or the ref; search columns return {value: ref, text}.
 */

export interface StatusEntry { letter: string; text: string; ref: string }

const S = (letter: string, text: string, ref: string): StatusEntry => ({ letter, text, ref });

export const STATUSES: Readonly<Record<string, StatusEntry[]>> = {
  SalesOrd: [
    S('A', 'Pending Approval', 'pendingApproval'), S('B', 'Pending Fulfillment', 'pendingFulfillment'),
    S('C', 'Cancelled', 'cancelled'), S('D', 'Partially Fulfilled', 'partiallyFulfilled'),
    S('E', 'Pending Billing/Partially Fulfilled', 'pendingBillingPartFulfilled'),
    S('F', 'Pending Billing', 'pendingBilling'), S('G', 'Billed', 'fullyBilled'), S('H', 'Closed', 'closed'),
  ],
  RtnAuth: [
    S('A', 'Pending Approval', 'pendingApproval'), S('B', 'Pending Receipt', 'pendingReceipt'),
    S('C', 'Cancelled', 'cancelled'), S('D', 'Partially Received', 'partiallyReceived'),
    S('E', 'Pending Refund/Partially Received', 'pendingRefundPartReceived'),
    S('F', 'Pending Refund', 'pendingRefund'), S('G', 'Refunded', 'refunded'), S('H', 'Closed', 'closed'),
  ],
  CustInvc: [
    S('A', 'Open', 'open'), S('B', 'Paid In Full', 'paidInFull'), S('D', 'Pending Approval', 'pendingApproval'),
    S('E', 'Rejected', 'rejected'),
  ],
  CashSale: [S('A', 'Unapproved Payment', 'unapprovedPayment'), S('B', 'Not Deposited', 'notDeposited'), S('C', 'Deposited', 'deposited')],
  CustPymt: [S('A', 'Unapproved Payment', 'unapprovedPayment'), S('B', 'Not Deposited', 'notDeposited'), S('C', 'Deposited', 'deposited')],
  CustCred: [S('A', 'Open', 'open'), S('B', 'Fully Applied', 'fullyApplied'), S('V', 'Voided', 'voided')],
  CustDep: [S('A', 'Not Deposited', 'notDeposited'), S('B', 'Deposited', 'deposited'), S('C', 'Fully Applied', 'fullyApplied')],
  CustRfnd: [S('V', 'Voided', 'voided')],
  ItemShip: [S('A', 'Picked', 'picked'), S('B', 'Packed', 'packed'), S('C', 'Shipped', 'shipped')],
};

export function statusEntry(code: string, letter: string): StatusEntry | undefined {
  return STATUSES[code]?.find((s) => s.letter === letter);
}

/** Whether a stored status matches a filter value ('SalesOrd:B', 'B', 'pendingFulfillment' or the text). */
export function statusMatches(code: string | undefined, ref: unknown, filterValue: string): boolean {
  if (!code || typeof ref !== 'string') return false;
  const entry = STATUSES[code]?.find((s) => s.ref === ref);
  if (!entry) return false;
  const [prefix, letter] = filterValue.includes(':') ? filterValue.split(':') : [code, filterValue];
  if (prefix === code && letter === entry.letter) return true;
  return filterValue === entry.ref || filterValue.toLowerCase() === entry.text.toLowerCase();
}

/** Line progress of an order-like transaction: what was ordered and what its children consumed. */
export interface LineProgress { ordered: number; done: number }

const allDone = (lines: LineProgress[]) => lines.every((l) => l.done >= l.ordered);
const noneDone = (lines: LineProgress[]) => lines.every((l) => l.done <= 0);

/**
 * Sales order status from its fulfillable lines' fulfilment and all lines' billing (5.5 lifecycle
 * Pending Fulfillment -> Pending Billing -> Billed). Billing in advance of fulfilment is allowed; the order is
 * Billed only once everything is both fulfilled and billed.
 */
export function salesOrderLetter(
  orderstatus: string, fulfil: LineProgress[], bill: LineProgress[], fulfilledNotBilled: boolean, closed: boolean,
): string {
  if (orderstatus === 'A') return 'A';
  if (orderstatus === 'C') return 'C';
  if (closed) return 'H';
  const fulfilled = allDone(fulfil);
  if (fulfilled && allDone(bill)) return 'G';
  if (fulfilled) return 'F';
  if (noneDone(fulfil)) return 'B';
  return fulfilledNotBilled ? 'E' : 'D';
}

/**
 * Return authorization status with Advanced Receiving (5.5, NSH/section_N1310133): Pending Receipt until all
 * receivable lines are received, then Pending Refund until credit memos / cash refunds cover it, then Refunded.
 */
export function returnAuthorizationLetter(
  orderstatus: string, receive: LineProgress[], refund: LineProgress[], receivedNotRefunded: boolean, closed: boolean,
): string {
  if (orderstatus === 'A') return 'A';
  if (orderstatus === 'C') return 'C';
  if (closed) return 'H';
  const received = allDone(receive);
  if (received && allDone(refund)) return 'G';
  if (received) return 'F';
  if (noneDone(receive)) return 'B';
  return receivedNotRefunded ? 'E' : 'D';
}
