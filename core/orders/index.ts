export * from './types';
export * from './sales-order';
