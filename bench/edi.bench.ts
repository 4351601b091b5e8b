/**
 * X12 parser throughput and memory, beside node-x12's streaming X12Parser on the same file.
 *
 *   npm run bench -- edi [--mb 50] [--runs 2]
 *
 * 1. a synthetic interchange of 850s and 856s (~`mb` MB, LF after each '~') is written to a temp file;
 * 2. crossdock: the file is streamed (1 MiB reads) through X12Tokenizer, counting segments; best of `runs`;
 * 3. baseline: the same file piped through node-x12's X12Parser (a Transform emitting one segment object per
 *    segment), counting 'data' events.
 * Memory is sampled every 10 ms while each parser runs: RSS and V8 heapUsed high-water marks. Both parsers run
 * `runs` times and the fastest run of each is reported. The summary's `peak` is the heap high-water mark of our
 * parser: RSS also counts the tsx loader and the file generator (~110 MB before parsing starts).
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { X12Parser } from 'node-x12';
import { syntheticInterchange } from '../src/edi/x12/synthetic.js';
import { X12Tokenizer } from '../src/edi/x12/tokenizer.js';

interface Options {
  mb: number;
  runs: number;
}

interface Result {
  name: string;
  segments: number;
  seconds: number;
  mbPerSec: number;
  /** Throughput over the process's CPU time: steadier than wall time on a shared machine. */
  cpuMbPerSec: number;
  peakRssMb: number;
  peakHeapMb: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { mb: 50, runs: 2 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    const value = Number(args[i + 1]);
    if ((name !== 'mb' && name !== 'runs') || !Number.isFinite(value) || value <= 0) {
      throw new Error(`bad argument ${args[i]} ${args[i + 1] ?? ''}: expected --mb|--runs <n>`);
    }
    options[name] = value;
  }
  return options;
}

const MB = 1024 * 1024;

async function measure(name: string, bytes: number, body: () => Promise<number>): Promise<Result> {
  globalThis.gc?.();
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const segments = await body();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  clearInterval(timer);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  return {
    name,
    segments,
    seconds,
    mbPerSec: bytes / MB / seconds,
    cpuMbPerSec: bytes / MB / cpuSeconds,
    peakRssMb: peakRss / MB,
    peakHeapMb: peakHeap / MB,
  };
}

async function crossdock(file: string): Promise<number> {
  let segments = 0;
  const tokenizer = new X12Tokenizer({
    segment: () => {
      segments++;
    },
  });
  for await (const chunk of createReadStream(file, { highWaterMark: MB })) {
    if (Buffer.isBuffer(chunk)) tokenizer.write(chunk);
  }
  tokenizer.end();
  return segments;
}

async function baseline(file: string): Promise<number> {
  let segments = 0;
  const parser = new X12Parser(false);
  parser.on('data', () => {
    segments++;
  });
  await pipeline(createReadStream(file, { highWaterMark: MB }), parser);
  return segments;
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(22) : String(c).padStart(12))).join(' ');
}

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-edi-bench-'));
  const file = join(dir, 'interchange.x12');
  try {
    await pipeline(syntheticInterchange({ bytes: options.mb * MB }), createWriteStream(file));
    const bytes = statSync(file).size;
    console.log(
      `input: ${(bytes / MB).toFixed(1)} MB of 850/856 (${file}); RSS before parsing ${(process.memoryUsage.rss() / MB).toFixed(0)} MB`,
    );

    let best: Result | undefined;
    for (let r = 0; r < options.runs; r++) {
      const result = await measure('crossdock X12Tokenizer', bytes, () => crossdock(file));
      if (!best || result.seconds < best.seconds) best = result;
    }
    if (!best) throw new Error('no run');
    let base: Result | undefined;
    for (let r = 0; r < options.runs; r++) {
      const result = await measure('node-x12 X12Parser', bytes, () => baseline(file));
      if (!base || result.seconds < base.seconds) base = result;
    }
    if (!base) throw new Error('no baseline run');

    console.log(row(['parser', 'segments', 'seconds', 'MB/s', 'MB/s (CPU)', 'peak RSS MB', 'peak heap MB']));
    for (const r of [best, base]) {
      console.log(
        row([
          r.name,
          r.segments,
          r.seconds.toFixed(2),
          r.mbPerSec.toFixed(1),
          r.cpuMbPerSec.toFixed(1),
          r.peakRssMb.toFixed(0),
          r.peakHeapMb.toFixed(0),
        ]),
      );
    }
    const ratio = best.mbPerSec / base.mbPerSec;
    console.log(
      `bench edi: ${best.mbPerSec.toFixed(1)} MB/s; baseline ${base.mbPerSec.toFixed(1)} MB/s; ratio ${ratio.toFixed(1)}; peak ${best.peakHeapMb.toFixed(0)} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
