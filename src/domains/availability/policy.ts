import { z } from 'zod';
import { CountryCode, ShippingCalendar, TimeZone } from '../../canonical/index.js';
import { AvailabilityErrors } from './errors.js';
import { channelParty, customerParty } from './position.js';

const Key = z.string().min(1).max(200);

/** Held back from what a channel sees: a fixed number of units, or a share of on hand (rounded up). */
export const SafetyBuffer = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('absolute'), units: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal('percent'), percent: z.number().min(0).max(100) }),
]);
export type SafetyBuffer = z.infer<typeof SafetyBuffer>;

/** A buffer for one item (at one location, or at every location when `location` is absent). */
export const ItemBuffer = z.strictObject({ item: Key, location: Key.optional(), buffer: SafetyBuffer });

/** How a channel is told about changes: thresholds, batching and the channel's own rate budget. */
export const PublishPolicy = z.strictObject({
  /** Crossing this level (either way) is always pushed: "low stock" badges depend on it. */
  lowStock: z.number().int().nonnegative().default(0),
  /** Any change of at least this many units is pushed; smaller ones wait for a threshold crossing. */
  minChange: z.number().int().positive().default(10),
  batchMs: z.number().int().positive().default(500),
  batchSize: z.number().int().positive().max(10_000).default(250),
  /** Push one figure per location (multi-location channels) instead of the channel total. */
  perLocation: z.boolean().default(false),
  /** Push calls per second the channel accepts, with a burst. */
  budget: z.strictObject({ perSecond: z.number().positive(), burst: z.number().int().positive() }).default({ perSecond: 2, burst: 4 }),
});
export type PublishPolicy = z.infer<typeof PublishPolicy>;

export const ChannelPolicy = z.strictObject({
  /** The channel's location group, in preference order (promise and reserve try them in this order). */
  locations: z.array(Key).min(1),
  buffer: SafetyBuffer.optional(),
  itemBuffers: z.array(ItemBuffer).default([]),
  /** Lots expiring within this many days of today are not offered. */
  excludeExpiringWithinDays: z.number().int().nonnegative().optional(),
  /** In-transit stock counts when its ETA is within the horizon; absent: in transit never counts. */
  inTransit: z.strictObject({ horizonDays: z.number().nonnegative() }).optional(),
  publish: PublishPolicy.optional(),
});
export type ChannelPolicy = z.infer<typeof ChannelPolicy>;

/** A customer's overrides of its channel's policy (a key account with its own buffer or warehouses). */
export const CustomerPolicy = z.strictObject({
  locations: z.array(Key).min(1).optional(),
  buffer: SafetyBuffer.optional(),
  excludeExpiringWithinDays: z.number().int().nonnegative().optional(),
});
export type CustomerPolicy = z.infer<typeof CustomerPolicy>;

/** Units of an item at a location kept for one channel or one customer; everyone else sees them as gone. */
export const RingFence = z
  .strictObject({
    item: Key,
    location: Key,
    quantity: z.number().int().positive(),
    channel: Key.optional(),
    customer: Key.optional(),
  })
  .refine((f) => (f.channel === undefined) !== (f.customer === undefined), 'a ring-fence is for exactly one channel or one customer');
export type RingFence = z.infer<typeof RingFence>;

export const LocationPolicy = z.strictObject({
  code: Key,
  timeZone: TimeZone,
  calendar: ShippingCalendar,
});
export type LocationPolicy = z.infer<typeof LocationPolicy>;

/** Working days (Mon–Fri) a parcel takes from a location to a ship-to region. */
export const TransitLane = z.strictObject({ from: Key, region: Key, days: z.number().int().nonnegative() });

/** Ship-to addresses map to a region by country and, optionally, postal-code prefix (longest prefix wins). */
export const RegionRule = z.strictObject({ region: Key, country: CountryCode, postalPrefixes: z.array(z.string().min(1)).default([]) });

export const AvailabilityConfig = z
  .strictObject({
    /** Items known even with no stock anywhere yet (anything with a position is known too). */
    items: z.array(Key).default([]),
    locations: z.array(LocationPolicy).min(1),
    channels: z.record(Key, ChannelPolicy),
    customers: z.record(Key, CustomerPolicy).default({}),
    ringFences: z.array(RingFence).default([]),
    transit: z.array(TransitLane).default([]),
    regions: z.array(RegionRule).default([]),
  })
  .superRefine((config, ctx) => {
    const known = new Set(config.locations.map((l) => l.code));
    const check = (code: string, path: Array<string | number>): void => {
      if (!known.has(code)) ctx.addIssue({ code: 'custom', path, message: `unknown location ${code}` });
    };
    for (const [name, channel] of Object.entries(config.channels)) {
      channel.locations.forEach((code, i) => {
        check(code, ['channels', name, 'locations', i]);
      });
    }
    for (const [name, customer] of Object.entries(config.customers)) {
      customer.locations?.forEach((code, i) => {
        check(code, ['customers', name, 'locations', i]);
      });
    }
    config.ringFences.forEach((fence, i) => {
      check(fence.location, ['ringFences', i, 'location']);
      if (fence.channel !== undefined && config.channels[fence.channel] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['ringFences', i, 'channel'], message: `unknown channel ${fence.channel}` });
      }
    });
    config.transit.forEach((lane, i) => {
      check(lane.from, ['transit', i, 'from']);
    });
  });
export type AvailabilityConfig = z.infer<typeof AvailabilityConfig>;
export type AvailabilityConfigInput = z.input<typeof AvailabilityConfig>;

export interface ShipTo {
  region?: string;
  country?: string;
  postalCode?: string;
}

/** What ATP needs for one channel (and customer) at one location, resolved once per query. */
export interface EffectivePolicy {
  channel: string;
  customer: string | undefined;
  locations: readonly string[];
  buffer: SafetyBuffer | undefined;
  excludeExpiringWithinDays: number | undefined;
  inTransitHorizonDays: number | undefined;
  /** Party keys the caller acts as: its channel and, when given, its customer. */
  parties: readonly string[];
}

/** The loaded policy set: lookups by channel, customer, item and location. */
export class Policies {
  // Nested maps, not joined string keys: these are read on every lookup (the hot path).
  private readonly fences = new Map<string, Map<string, RingFence[]>>();
  private readonly beneficiaries = new Map<string, Map<string, string[]>>();
  private readonly itemBuffers = new Map<string, Map<string, Array<z.infer<typeof ItemBuffer>>>>();
  private readonly locationsByCode: Map<string, LocationPolicy>;
  private readonly lanes = new Map<string, number>();
  private readonly effective = new Map<string, EffectivePolicy>();
  readonly knownItems: ReadonlySet<string>;

  constructor(readonly config: AvailabilityConfig) {
    this.knownItems = new Set(config.items);
    this.locationsByCode = new Map(config.locations.map((l) => [l.code, l]));
    for (const fence of config.ringFences) {
      const byLocation = this.fences.get(fence.item) ?? new Map<string, RingFence[]>();
      this.fences.set(fence.item, byLocation);
      byLocation.set(fence.location, [...(byLocation.get(fence.location) ?? []), fence]);
      const parties = this.beneficiaries.get(fence.item) ?? new Map<string, string[]>();
      this.beneficiaries.set(fence.item, parties);
      const party = fence.channel !== undefined ? channelParty(fence.channel) : customerParty(fence.customer ?? '');
      const known = parties.get(fence.location) ?? [];
      if (!known.includes(party)) parties.set(fence.location, [...known, party]);
    }
    for (const [channel, policy] of Object.entries(config.channels)) {
      const byItem = new Map<string, Array<z.infer<typeof ItemBuffer>>>();
      for (const b of policy.itemBuffers) byItem.set(b.item, [...(byItem.get(b.item) ?? []), b]);
      this.itemBuffers.set(channel, byItem);
    }
    for (const lane of config.transit) this.lanes.set(`${lane.from}\u0000${lane.region}`, lane.days);
  }

  channels(): string[] {
    return Object.keys(this.config.channels);
  }

  hasChannel(channel: string): boolean {
    return Object.hasOwn(this.config.channels, channel);
  }

  channel(channel: string): ChannelPolicy | undefined {
    return Object.hasOwn(this.config.channels, channel) ? this.config.channels[channel] : undefined;
  }

  location(code: string): LocationPolicy | undefined {
    return this.locationsByCode.get(code);
  }

  /** Channel policy with the customer's overrides applied; undefined for an unknown channel. */
  resolve(channel: string, customer?: string): EffectivePolicy | undefined {
    const cacheKey = customer === undefined ? channel : `${channel}\u0000${customer}`;
    const cached = this.effective.get(cacheKey);
    if (cached) return cached;
    const base = this.channel(channel);
    if (!base) return undefined;
    const own = customer !== undefined && Object.hasOwn(this.config.customers, customer) ? this.config.customers[customer] : undefined;
    const resolved: EffectivePolicy = {
      channel,
      customer,
      locations: own?.locations ?? base.locations,
      buffer: own?.buffer ?? base.buffer,
      excludeExpiringWithinDays: own?.excludeExpiringWithinDays ?? base.excludeExpiringWithinDays,
      inTransitHorizonDays: base.inTransit?.horizonDays,
      parties: customer === undefined ? [channelParty(channel)] : [channelParty(channel), customerParty(customer)],
    };
    // Bounded: customers without a policy of their own are not worth a cache entry each.
    if (own !== undefined || customer === undefined) this.effective.set(cacheKey, resolved);
    return resolved;
  }

  /** The buffer for an item at a location: an item-specific one wins over the channel's. */
  bufferFor(policy: EffectivePolicy, item: string, location: string): SafetyBuffer | undefined {
    const specific = this.itemBuffers.get(policy.channel)?.get(item);
    if (specific) {
      const exact = specific.find((b) => b.location === location) ?? specific.find((b) => b.location === undefined);
      if (exact) return exact.buffer;
    }
    return policy.buffer;
  }

  ringFences(item: string, location: string): readonly RingFence[] {
    return this.fences.get(item)?.get(location) ?? NO_FENCES;
  }

  /**
   * The parties whose open reservations at a position matter to ATP: the beneficiaries of its
   * ring-fences (`channel:<id>`, `customer:<id>`). A position without fences needs none.
   */
  readonly fenceParties = (item: string, location: string): readonly string[] => this.beneficiaries.get(item)?.get(location) ?? NO_PARTIES;

  transitDays(from: string, region: string): number | undefined {
    return this.lanes.get(`${from}\u0000${region}`);
  }

  /** The region of a ship-to: given outright, or by country and the longest matching postal prefix. */
  region(shipTo: ShipTo): string | undefined {
    if (shipTo.region !== undefined)
      return this.config.regions.some((r) => r.region === shipTo.region) || this.laneRegion(shipTo.region) ? shipTo.region : undefined;
    let best: { region: string; length: number } | undefined;
    for (const rule of this.config.regions) {
      if (rule.country !== shipTo.country) continue;
      if (rule.postalPrefixes.length === 0) {
        if (!best) best = { region: rule.region, length: 0 };
        continue;
      }
      for (const prefix of rule.postalPrefixes) {
        if (shipTo.postalCode?.startsWith(prefix) && (!best || prefix.length > best.length))
          best = { region: rule.region, length: prefix.length };
      }
    }
    return best?.region;
  }

  private laneRegion(region: string): boolean {
    return this.config.transit.some((l) => l.region === region);
  }
}

const NO_FENCES: readonly RingFence[] = [];
const NO_PARTIES: readonly string[] = [];

/** Parses a policy config object (from YAML, JSON or code); a bad one fails naming the field. */
export function loadPolicies(raw: unknown): Policies {
  const parsed = AvailabilityConfig.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const first = issues[0];
    throw AvailabilityErrors.policy(`availability policy ${first?.path || '(root)'}: ${first?.message ?? 'invalid'}`, {
      path: first?.path ?? '',
      issues,
    });
  }
  return new Policies(parsed.data);
}
