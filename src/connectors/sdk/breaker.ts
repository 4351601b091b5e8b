import { type Clock, systemClock } from '../../kernel/index.js';
import { ConnectorErrors } from './errors.js';

export interface BreakerOptions {
  /** Consecutive retryable failures that open the circuit. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. */
  openMs?: number;
}

type State = { kind: 'closed'; failures: number } | { kind: 'open'; until: number } | { kind: 'half-open'; trial: boolean };

/**
 * A circuit breaker per target system. After `failureThreshold` consecutive retryable failures it
 * opens: calls fail at once with CD_ERR_CONNECTOR_CIRCUIT_OPEN (retryable, with retryAfterMs) instead
 * of piling onto a system that is down. After `openMs` one trial call is let through; its success
 * closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private state: State = { kind: 'closed', failures: 0 };
  private readonly threshold: number;
  private readonly openMs: number;

  constructor(
    readonly target: string,
    options: BreakerOptions = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.threshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 30_000;
  }

  get status(): 'closed' | 'open' | 'half-open' {
    if (this.state.kind === 'open' && this.clock.now() >= this.state.until) return 'half-open';
    return this.state.kind;
  }

  /** Throws when the call may not proceed. */
  admit(): void {
    if (this.state.kind === 'open') {
      const wait = this.state.until - this.clock.now();
      if (wait > 0) {
        throw ConnectorErrors.circuitOpen(`calls to ${this.target} are paused for ${Math.ceil(wait / 1000)} s after repeated failures`, {
          retryAfterMs: wait,
        });
      }
      this.state = { kind: 'half-open', trial: false };
    }
    if (this.state.kind === 'half-open') {
      if (this.state.trial) {
        throw ConnectorErrors.circuitOpen(`a trial call to ${this.target} is under way`, { retryAfterMs: 1000 });
      }
      this.state.trial = true;
    }
  }

  success(): void {
    this.state = { kind: 'closed', failures: 0 };
  }

  /** Only failures that say the system is unwell count (timeouts, 5xx, network), not bad requests. */
  failure(): void {
    if (this.state.kind === 'half-open') {
      this.state = { kind: 'open', until: this.clock.now() + this.openMs };
      return;
    }
    if (this.state.kind === 'closed') {
      const failures = this.state.failures + 1;
      this.state = failures >= this.threshold ? { kind: 'open', until: this.clock.now() + this.openMs } : { kind: 'closed', failures };
    }
  }
}
