import { connectorContract } from '../sdk/connector.contract.js';
import { netsuiteContractHarness } from './testing/contract-harness.js';

connectorContract('netsuite', netsuiteContractHarness);
