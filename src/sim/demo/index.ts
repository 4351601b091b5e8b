/** The demo network: every simulator on loopback plus a traffic generator (docs/demo.md). */
export { DEMO_BUYERS, DEMO_ITEMS, DEMO_WAREHOUSE, type DemoBuyer, type DemoItem } from './catalog.js';
export { DEMO_SUPPLIER, type DemoEndpoints, type DemoNetwork, type DemoNetworkOptions, startDemoNetwork } from './network.js';
export { type DemoPosition, demoMinMaxRules, demoPositionOf, demoReturnRequest, demoSupplierCatalog } from './procurement.js';
export { type ShippedOrder, type TrafficCounts, TrafficGenerator, type TrafficOptions } from './traffic.js';
