export type * from './types';
export { computeDeadline, originalDueOn, DEFAULT_NEAR_DAYS, type DeadlineInput } from './compute';
export { countPeriod, type PeriodCount, type StopSpan } from './period';
export { explainDeadline } from './explain';
export { isBlank, matchesCondition, matchesConditions } from './conditions';
export {
  applicableRules,
  selectRule,
  findRule,
  effectivePeriod,
  extensionOf,
  stopStatesOf,
  periodText,
  EMPTY_CLOCK_EVENTS,
} from './rules';
export { validateExtension, validateStop, validatePeriodOverride, type ExtensionCheckInput, type StopCheckInput } from './validate';
export { applyClockEvents, normalizeClockEvents } from './clock-events';
export { calendarChangeFilter, changedOverrideDates, type CalendarChange, type CalendarChangeFilter } from './affects';
export { summarizeOnTime, type OnTimeSummary } from './on-time';
