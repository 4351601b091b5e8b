import { connectorContract } from '../sdk/connector.contract.js';
import { salesforceContractHarness } from './testing/contract-harness.js';

connectorContract('salesforce', salesforceContractHarness);
