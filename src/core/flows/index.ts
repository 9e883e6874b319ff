export {
  availableTransitions,
  currentState,
  planTransition,
  roleMayPerform,
  type FlowRecord,
  type TransitionError,
  type TransitionErrorCode,
  type TransitionOptions,
  type TransitionPlan,
} from './transitions';
export { planLedgerTransition, type LedgerTransitionOptions, type LedgerTransitionPlan } from './ledger-transition';
