import { defineError } from '../kernel/index.js';

export const WorkflowErrors = {
  unknownFlow: defineError('CD_ERR_WORKFLOW_UNKNOWN', { class: 'permanent', title: 'No such flow or flow version' }),
  badInput: defineError('CD_ERR_WORKFLOW_INPUT', { class: 'permanent', title: 'Flow input failed validation' }),
  nondeterministic: defineError('CD_ERR_WORKFLOW_NONDETERMINISTIC', { class: 'permanent', title: 'Flow code did not replay as journaled' }),
  stepFailed: defineError('CD_ERR_WORKFLOW_STEP_FAILED', { class: 'permanent', title: 'A step failed for good' }),
  stepTimeout: defineError('CD_ERR_WORKFLOW_STEP_TIMEOUT', { class: 'retryable', title: 'A step did not finish in time' }),
  cancelled: defineError('CD_ERR_WORKFLOW_CANCELLED', { class: 'business', title: 'The flow was cancelled' }),
  childFailed: defineError('CD_ERR_WORKFLOW_CHILD_FAILED', { class: 'permanent', title: 'A child flow failed' }),
  compensationFailed: defineError('CD_ERR_WORKFLOW_COMPENSATION_FAILED', { class: 'permanent', title: 'Undoing a step failed' }),
  badState: defineError('CD_ERR_WORKFLOW_STATE', { class: 'permanent', title: 'The instance is not in a state that allows this' }),
} as const;
