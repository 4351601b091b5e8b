import { connectorContract } from '../sdk/connector.contract.js';
import { wmsContractHarness } from './testing/contract-harness.js';

connectorContract('wms', wmsContractHarness);
