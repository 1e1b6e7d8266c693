export * from './schemas';
export * from './mapper';
export * from './client';
export * from './token';
