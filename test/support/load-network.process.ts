/**
 * The load network (NetSuite, WMS, Salesforce and Shopify simulators) in a process of its own, as
 * the real systems would be: the flows benchmark measures the hub, not the simulators sharing its
 * event loop. Started by `startLoadNetworkProcess` (load-network-process.ts); it talks over the
 * IPC channel:
 *
 *   child -> parent  { type: 'ready', info }                       once listening
 *   parent -> child  { type: 'ship', id, hookUrl }                   subscribe the hub to the WMS and ship
 *                                                                   every released order as it appears
 *   parent -> child  { type: 'counts', id }                         -> { type: 'reply', id, counts }
 *   parent -> child  { type: 'close', id }                          -> { type: 'reply', id }, then exits
 */
import { shipEverything, startLoadNetwork } from './flows-chaos-network.js';
import { type LoadNetworkReply, LoadNetworkRequest } from './load-network-protocol.js';

const net = await startLoadNetwork({ netsuiteConcurrency: 200 });
let warehouse: ReturnType<typeof shipEverything> | undefined;
let closing: Promise<void> | undefined;
const closeOnce = (): Promise<void> => {
  warehouse?.stop();
  closing ??= net.close();
  return closing;
};

function send(message: LoadNetworkReply): void {
  process.send?.(message);
}

process.on('message', (raw: unknown) => {
  const request = LoadNetworkRequest.parse(raw);
  switch (request.type) {
    case 'ship': {
      warehouse ??= shipEverything(net.wms, request.hookUrl);
      send({ type: 'reply', id: request.id });
      break;
    }
    case 'counts': {
      const cpu = process.cpuUsage();
      send({
        type: 'reply',
        id: request.id,
        counts: {
          erpOrders: net.netsuite.state.all('salesOrder').length,
          invoices: net.netsuite.state.all('invoice').length,
          wmsOrders: net.wms.state.orders.size,
          shipped: warehouse?.shipped() ?? 0,
          cpuMs: (cpu.user + cpu.system) / 1000,
        },
      });
      break;
    }
    case 'close': {
      void closeOnce().then(() => {
        send({ type: 'reply', id: request.id });
        process.disconnect?.();
      });
      break;
    }
  }
});

// The benchmark that started this process is gone (killed, crashed): so is the reason to run.
process.on('disconnect', () => {
  void closeOnce()
    .catch(() => undefined)
    .then(() => process.exit(0));
});

send({ type: 'ready', info: net.info });
