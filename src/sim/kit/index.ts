export { type Fault, type FaultMatcher, FaultPlan, type SimServer } from './faults.js';
