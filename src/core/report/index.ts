export * from './types';
export * from './format';
export * from './numbering';
export * from './syntax';
export * from './template';
export * from './render';
export { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_SOURCE } from './default-template';
export { DEFAULT_TEMPLATES, isReportType, reportDueOn, reportTypeOf } from './templates';
export * from './table-grid';
