export * from './outcomes';
export * from './types';
export * from './count';
export * from './groups';
export * from './checks';
export * from './layout';
export { DISCLOSURE_TEMPLATE_SOURCE } from './template';
