export {
  type ConnectedNetwork,
  connectNetwork,
  type InboundHooks,
  NETWORK_INSTANCES,
  type NetworkDeps,
  type NetworkEndpoints,
} from './network.js';
export { topicFor } from './topics.js';
