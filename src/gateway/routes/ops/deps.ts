import type { Availability } from '../../../domains/availability/index.js';
import type { ExceptionActions, ExceptionQueue } from '../../../domains/exceptions/index.js';
import type { EventLog } from '../../../eventlog/index.js';
import type { Clock } from '../../../kernel/index.js';
import type { SlaClocks, TimelineService } from '../../../observability/index.js';
import type { Store } from '../../../store/index.js';

/** What the console's API reads and acts on. */
export interface OpsRouteDeps {
  store: Store;
  eventlog: EventLog;
  exceptions: ExceptionQueue;
  actions: ExceptionActions;
  timelines: TimelineService;
  sla: SlaClocks;
  clock: Clock;
  /** Resolved per request: the availability module may start after this one. */
  availability: () => Pick<Availability, 'get'> | undefined;
}
