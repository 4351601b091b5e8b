export type { FlowContext, FlowDefinition, InstanceStatus, StepInfo, StepOptions, WaitResult } from './define.js';
export { defineFlow } from './define.js';
export { type InstanceView, observeSteps, type StepObserver, WorkflowEngine, type WorkflowEngineOptions } from './engine.js';
export { WorkflowErrors } from './errors.js';
