/**
 * The simulators' door for the rest of crossdock (the CLI): the demo network. Tests reach each
 * simulator through its own folder's index.
 */
export * from './demo/index.js';
