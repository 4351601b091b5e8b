import { connectorContract } from '../sdk/connector.contract.js';
import { shopifyContractHarness } from './testing/contract-harness.js';

connectorContract('shopify', shopifyContractHarness);
