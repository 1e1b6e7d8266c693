export { createEbayKeySource, EbayKeyUnavailableError, EBAY_PUBLIC_KEY_PATH } from './ebay-key-source';
export type { CachingEbayKeySource, EbayKeySourceOptions, EbayKeySourceStats } from './ebay-key-source';
export { createEbayAppTokenSource, EbayTokenError, EBAY_DEFAULT_SCOPE, EBAY_TOKEN_PATH } from './app-token';
export type { EbayAppTokenOptions, EbayAppTokenSource } from './app-token';
