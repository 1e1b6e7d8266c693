/**
 * Simulated storefronts and marketplaces for the sandbox and tests. Each listens on 127.0.0.1 with an
 * OS-assigned port and returns { url, close(), state, createOrder(), issueRefund(), ... }.
 */
export { startShopifySimulator, SHOPIFY_SIM_DEFAULTS, SHOPIFY_SAMPLE_ORDERS, type ShopifySimulator } from './shopify';
export { startMagentoSimulator, MAGENTO_SIM_DEFAULTS, MAGENTO_SAMPLE_ORDERS, type MagentoSimulator } from './magento';
export { startEbaySimulator, EBAY_SIM_DEFAULTS, EBAY_SAMPLE_ORDERS, type EbaySimulator } from './ebay';
export { startAmazonSimulator, AMAZON_SIM_DEFAULTS, AMAZON_SAMPLE_ORDERS, type AmazonSimulator } from './amazon';
