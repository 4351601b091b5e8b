export {
  ExceptionAction,
  ExceptionErrors,
  ExceptionQueue,
  type ExceptionView,
  type ListFilter,
  OwnerRule,
  RaiseInput,
  Severity,
} from './exceptions.js';
