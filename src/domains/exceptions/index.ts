export {
  type ActionHandler,
  type ActionOutcome,
  ActionRequest,
  ExceptionActionErrors,
  ExceptionActions,
} from './actions.js';
export {
  DueRule,
  ExceptionAction,
  ExceptionErrors,
  ExceptionQueue,
  type ExceptionView,
  type ListFilter,
  OwnerRule,
  RaiseInput,
  Severity,
} from './exceptions.js';
