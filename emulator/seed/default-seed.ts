/**
 * The default sandbox seed: a few customers, items of every type (with a shipping charge and a refund-adjustment
 * charge), a main warehouse and a non-nettable returns holding location with stock, bank and Undeposited Funds
 * accounts, and orders covering each billing path — cash sale, invoice paid by a customer payment, open invoice,
 * an unbilled order with a customer deposit — in USD, plus one EUR order.
 */
import type { Seed } from './seed-schema';

export function defaultSandboxSeed(): Seed {
  return {
    customers: [
      { externalId: 'sandbox-cust-acme', name: 'Acme Outdoor Co', email: 'orders@acme-outdoor.test', currency: 'USD' },
      { externalId: 'sandbox-cust-jane', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.test', currency: 'USD' },
      { externalId: 'sandbox-cust-berlin', name: 'Berlin Bikes GmbH', email: 'einkauf@berlin-bikes.test', currency: 'EUR' },
    ],
    items: [
      { sku: 'LB-TENT-2P', name: 'Two-person tent', type: 'inventory', price: '199.00', stock: [{ location: 'Main Warehouse', quantity: 50 }, { location: 'Returns Holding', quantity: 3 }] },
      { sku: 'LB-STOVE', name: 'Camping stove', type: 'inventory', price: '49.50', stock: [{ location: 'Main Warehouse', quantity: 120 }, { location: 'Returns Holding', quantity: 2 }] },
      { sku: 'LB-EGIFT-25', name: 'E-gift card 25', type: 'noninventory', price: '25.00' },
      { sku: 'LB-SETUP', name: 'Tent setup service', type: 'service', price: '35.00' },
      { sku: 'SHIPPING', name: 'Shipping', type: 'othercharge', price: '9.95' },
      { sku: 'REFUND-ADJUSTMENT', name: 'Refund adjustment', type: 'othercharge', price: '0.00' },
      { sku: 'PROMO-10', name: 'Promotion 10 off', type: 'discount', price: '-10.00' },
    ],
    locations: [
      { name: 'Main Warehouse', externalId: 'sandbox-loc-main' },
      { name: 'Returns Holding', externalId: 'sandbox-loc-returns', nonNettable: true },
    ],
    accounts: [
      { name: 'Checking', type: 'bank', number: '1000', externalId: 'sandbox-acct-checking' },
      { name: 'Undeposited Funds', type: 'undepositedfunds', number: '1200', externalId: 'sandbox-acct-undeposited' },
      { name: 'Inventory Adjustments', type: 'otherexpense', number: '6100', externalId: 'sandbox-acct-inventory-adjustments' },
    ],
    orders: [
      {
        externalId: 'sandbox-order-1001', storefrontOrderId: '1001', customer: 'sandbox-cust-acme', billing: 'cashsale',
        lines: [{ sku: 'LB-TENT-2P', quantity: 1 }, { sku: 'SHIPPING', quantity: 1 }],
      },
      {
        externalId: 'sandbox-order-1002', storefrontOrderId: '1002', customer: 'sandbox-cust-jane', billing: 'invoice', paid: true,
        lines: [{ sku: 'LB-STOVE', quantity: 2 }, { sku: 'SHIPPING', quantity: 1 }],
      },
      {
        externalId: 'sandbox-order-1003', storefrontOrderId: '1003', customer: 'sandbox-cust-acme', billing: 'invoice',
        lines: [{ sku: 'LB-STOVE', quantity: 1 }, { sku: 'LB-EGIFT-25', quantity: 2 }, { sku: 'PROMO-10', quantity: 1 }],
      },
      {
        externalId: 'sandbox-order-1004', storefrontOrderId: '1004', customer: 'sandbox-cust-jane', billing: 'none',
        customerDeposit: { amount: '234.00' },
        lines: [{ sku: 'LB-TENT-2P', quantity: 1 }, { sku: 'LB-SETUP', quantity: 1 }],
      },
      {
        externalId: 'sandbox-order-1005', storefrontOrderId: '1005', customer: 'sandbox-cust-berlin', currency: 'EUR', billing: 'cashsale',
        lines: [{ sku: 'LB-STOVE', quantity: 2, price: '45.00' }, { sku: 'SHIPPING', quantity: 1, price: '8.90' }],
      },
    ],
  };
}
