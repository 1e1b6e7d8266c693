export * from './types';
export * from './errors';
export * from './direction';
export * from './external-id';
export * from './record-plan';
export * from './posting';
export * from './plan';
export * from './why-not';
