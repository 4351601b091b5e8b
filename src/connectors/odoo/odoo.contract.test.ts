import { connectorContract } from '../sdk/connector.contract.js';
import { odooContractHarness } from './testing/contract-harness.js';

connectorContract('odoo', odooContractHarness);
