/**
 * Fault injection shared by every simulator. A test (or the demo's control endpoint) arms faults;
 * the simulator consults `take()` on each request and applies what it gets. Faults are consumed in
 * the order they were armed; `latencyMs` applies to every request while set.
 */
export type Fault =
  /** Answer with this HTTP status (and the vendor's error body for it), do nothing else. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** Apply the request, then never answer (the client times out although the write committed). */
  | { kind: 'timeout-after-commit' }
  /** Close the connection before answering, without applying the request. */
  | { kind: 'drop' };

export interface FaultMatcher {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Substring of the path to match; any when omitted. */
  pathIncludes?: string;
}

interface Armed {
  fault: Fault;
  matcher: FaultMatcher;
  remaining: number;
}

export class FaultPlan {
  latencyMs = 0;
  /** Deliver each outbound webhook twice. */
  duplicateWebhooks = false;
  /** Hold outbound webhooks and deliver them in reverse order of creation, `reorderWindow` at a time. */
  reorderWebhooks = false;
  reorderWindow = 2;
  private armed: Armed[] = [];

  /** Arms a fault for the next `times` matching requests. */
  arm(fault: Fault, options: FaultMatcher & { times?: number } = {}): this {
    const { times = 1, ...matcher } = options;
    this.armed.push({ fault, matcher, remaining: times });
    return this;
  }

  /** The fault to apply to this request, if any; consumes one use of it. */
  take(method: string, path: string): Fault | undefined {
    const index = this.armed.findIndex(
      (a) =>
        (a.matcher.method === undefined || a.matcher.method.toUpperCase() === method.toUpperCase()) &&
        (a.matcher.pathIncludes === undefined || path.includes(a.matcher.pathIncludes)),
    );
    if (index < 0) return undefined;
    const armed = this.armed[index]!;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed.splice(index, 1);
    return armed.fault;
  }

  reset(): void {
    this.latencyMs = 0;
    this.duplicateWebhooks = false;
    this.reorderWebhooks = false;
    this.reorderWindow = 2;
    this.armed = [];
  }

  pending(): number {
    return this.armed.reduce((n, a) => n + a.remaining, 0);
  }
}

/** What every simulator returns when started. */
export interface SimServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly faults: FaultPlan;
  close(): Promise<void>;
}
