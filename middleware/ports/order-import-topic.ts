/** Topic of orders the middleware fetched itself to import (body: { order: CanonicalOrder, via }); the order import flow processes it. */
export const ORDER_IMPORT_TOPIC = 'ledgerbridge/order.import';
