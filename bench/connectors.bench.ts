/**
 * `npm run bench -- connectors`: outbound calls/s through the connector SDK's HTTP transport
 * (rate budget, circuit breaker, retry policy and request capture all on) to the 3PL simulator on
 * loopback, beside undici calling the same simulator directly in the same run; then how closely a
 * configured budget is held.
 */
import { Agent, request } from 'undici';
import { BucketBudget, CircuitBreaker, HttpTransport, MemoryCapture } from '../src/connectors/sdk/index.js';
import { startWmsSim } from '../src/sim/wms/index.js';

const CALLS = 6000;
const CONCURRENCY = 32;

async function pool(count: number, concurrency: number, call: () => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await call();
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

export async function run(_args: string[]): Promise<void> {
  const sim = await startWmsSim({ rateLimit: { limit: 1_000_000, refillPerSecond: 1_000_000 } });
  sim.seedInventory('SKU-1', 100);
  const path = '/v1/inventory?sku=SKU-1&limit=1';
  const auth = { authorization: `Bearer ${sim.apiKey}` };
  try {
    // Baseline: undici straight to the simulator, same pool size.
    const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
    const direct = async () => {
      const res = await request(`${sim.url}${path}`, { headers: { accept: 'application/json', ...auth }, dispatcher: agent });
      JSON.parse(await res.body.text());
      if (res.statusCode !== 200) throw new Error(`baseline got ${res.statusCode}`);
    };
    const capture = new MemoryCapture(1000);
    const transport = new HttpTransport({
      target: 'wms:bench',
      baseUrl: sim.url,
      budget: new BucketBudget('wms:bench', 1_000_000, 1_000_000),
      breaker: new CircuitBreaker('wms:bench'),
      capture,
      defaultHeaders: auth,
      retry: { maxAttempts: 4 },
    });
    const viaSdk = async () => {
      const res = await transport.request({ method: 'GET', path, operation: 'inventory.get' });
      if (res.status !== 200) throw new Error(`sdk got ${res.status}`);
    };
    // Warm both paths (JIT, connections), then measure each twice, alternating, and keep the best.
    await pool(500, CONCURRENCY, direct);
    await pool(500, CONCURRENCY, viaSdk);
    const baseline: number[] = [];
    const sdk: number[] = [];
    for (let round = 0; round < 2; round++) {
      baseline.push(CALLS / (await pool(CALLS, CONCURRENCY, direct)));
      sdk.push(CALLS / (await pool(CALLS, CONCURRENCY, viaSdk)));
    }
    const baseRate = Math.max(...baseline);
    const sdkRate = Math.max(...sdk);

    // Budget: a token bucket of `rate`/s with `burst`; a correct bucket never lets more than
    // burst + rate*T calls through in any window of T seconds.
    const rate = 200;
    const burst = 10;
    const budgeted = new HttpTransport({
      target: 'wms:budget',
      baseUrl: sim.url,
      budget: new BucketBudget('wms:budget', burst, rate),
      defaultHeaders: auth,
    });
    const times: number[] = [];
    const seconds = 4;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() - t0 < seconds * 1000) {
          await budgeted.request({ method: 'GET', path });
          times.push(performance.now());
        }
      }),
    );
    times.sort((a, b) => a - b);
    let worst = 0;
    for (const window of [250, 1000, 2000]) {
      let j = 0;
      for (let i = 0; i < times.length; i++) {
        while ((times[i] ?? 0) - (times[j] ?? 0) > window) j++;
        const allowed = burst + (rate * window) / 1000;
        worst = Math.max(worst, (i - j + 1) / allowed - 1);
      }
    }
    const steady = times.length / ((times.at(-1)! - times[0]!) / 1000);
    const overshoot = Math.max(0, worst) * 100;
    await transport.close();
    await budgeted.close();
    await agent.close();

    const rows = [
      ['undici direct (baseline)', `${Math.round(baseRate)} calls/s`, `best of ${baseline.map((r) => Math.round(r)).join(', ')}`],
      [
        'SDK transport (budget, breaker, retry, capture)',
        `${Math.round(sdkRate)} calls/s`,
        `best of ${sdk.map((r) => Math.round(r)).join(', ')}`,
      ],
      ['budget 200/s burst 10: steady rate', `${steady.toFixed(1)} calls/s`, `${times.length} calls in ${seconds} s`],
      ['budget: worst window vs burst + rate*T', `${overshoot.toFixed(2)} % over`, 'windows 0.25 s, 1 s, 2 s'],
    ];
    for (const [a = '', b = '', c = ''] of rows) console.log(`${a.padEnd(50)} ${b.padStart(16)}   ${c}`);
    console.log(
      `bench connectors: ${Math.round(sdkRate)} calls/s; baseline ${Math.round(baseRate)} calls/s; ratio ${(sdkRate / baseRate).toFixed(2)}; budget overshoot ${overshoot.toFixed(2)}%`,
    );
  } finally {
    await sim.close();
  }
}
