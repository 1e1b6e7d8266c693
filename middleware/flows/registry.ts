/**
 * The flow registry's contract and its composition. A flow is one folder under middleware/flows/ that exports a
 * FlowDefinition; middleware/flows/index.ts lists them. `composeFlows` builds every listed flow from the shared
 * context (store, jobs, ports) and merges them: one SyncProcessor that dispatches by topic (a topic no flow owns is
 * parked as unhandled), every partner route, every job queue and every schedule, started and stopped together.
 * Two flows claiming one topic, one route (method and path), one queue or one schedule name are refused here,
 * before anything starts.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Db } from '../store/db';
import type { JobHandler, JobQueue, QueueSpec, WorkOptions } from '../jobs/job-queue';
import type { SecretBox } from '../security/secret-box';
import type { Metrics } from '../observability/metrics';
import type { BoundRoute } from '../http/routes/v1/define-route';
import { parkUnhandled, type SyncProcessor } from '../sync/sync-worker';
import { buildChannelSchemas, BASE_SETTINGS_SHAPES, type ChannelKind, type ChannelSchemas, type ChannelSettingsContribution } from '../tenancy/channel-kinds';
import type { NetSuiteFor } from '../ports/netsuite';
import type { StorefrontPort } from '../ports/platforms';
import { createOrderEvents, type OrderEvents } from '../ports/order-events';

/** What every flow is built from: the store, the job queue and the shared ports to NetSuite and the platforms. */
export interface FlowContext {
  db: Db;
  jobs: JobQueue;
  secretBox: SecretBox;
  logger: Logger;
  metrics?: Metrics;
  netsuite: NetSuiteFor;
  platforms: StorefrontPort;
  now?: () => Date;
  /** Events flows tell each other through (an order landed in NetSuite); composeFlows makes one when absent. */
  orderEvents?: OrderEvents;
}

/** A job queue the flow owns, with the handler its workers run. */
export interface FlowQueue {
  spec: QueueSpec;
  work: WorkOptions;
  handler: JobHandler<unknown>;
}

/**
 * Periodic work. `cron` registers a pg-boss schedule on `queue` (one run per matching minute across every
 * process); `intervalMs` also runs it on a timer in this process. Neither: it only runs when called (tests).
 * Runs of one schedule never overlap within a process.
 */
export interface FlowSchedule {
  name: string;
  run(): Promise<unknown>;
  cron?: string;
  intervalMs?: number;
  /** The pg-boss queue (and schedule key) of the cron schedule. */
  queue?: { name: string; key: string };
}

/** A view the operations console can show: what it is and the partner route its data comes from. */
export interface ConsoleView {
  id: string;
  title: string;
  /** One sentence: what an operator sees there. */
  shows: string;
  /** The data route (`GET /v1/...`) the view reads. */
  dataRoute: string;
}

/**
 * A flow's channel settings: a zod schema stored under `settings[key]` (the flow's name) for the channel kinds it
 * applies to, kept in the flow's folder. `channelSchemasFor` composes them into each kind's settings schema
 * (middleware/tenancy/channel-kinds.ts); `finish` states rules across the settings a schema cannot.
 */
export type FlowSettings = ChannelSettingsContribution;

/** What a built flow contributes. */
export interface FlowParts {
  /** Sync topic → the step that processes its records. */
  topics: Record<string, SyncProcessor>;
  routes?: readonly BoundRoute[];
  queues?: readonly FlowQueue[];
  schedules?: readonly FlowSchedule[];
  views?: readonly ConsoleView[];
}

export interface FlowDefinition<Options = unknown> {
  name: string;
  settings?: FlowSettings;
  /** Console views (static: the console lists them without building the flow). */
  views?: readonly ConsoleView[];
  create(context: FlowContext, options: Options | undefined): FlowParts;
}

/** Any flow definition, whatever its options (the registry list holds flows with different options). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFlowDefinition = FlowDefinition<any>;

export function defineFlow<Options>(definition: FlowDefinition<Options>): FlowDefinition<Options> {
  return definition;
}

export interface ComposedFlow {
  name: string;
  parts: FlowParts;
  /** Runs one of the flow's schedules now (one run at a time). */
  run(schedule: string): Promise<unknown>;
}

export interface ComposedFlows {
  flows: readonly ComposedFlow[];
  /** The channel settings and secrets schemas composed from the flows' settings (channelSchemasFor). */
  channelSchemas: ChannelSchemas;
  get(name: string): ComposedFlow | undefined;
  processor: SyncProcessor;
  routes: BoundRoute[];
  views: ConsoleView[];
  /** Topic → owning flow. */
  topics: ReadonlyMap<string, string>;
  /** Creates the flows' queues, starts their workers, schedules and timers (once the job workers run). */
  start(): Promise<void>;
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>;
}

export class FlowCompositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowCompositionError';
  }
}

function claim(owners: Map<string, string>, what: string, key: string, flow: string): void {
  const owner = owners.get(key);
  if (owner !== undefined) throw new FlowCompositionError(`Flows "${owner}" and "${flow}" both declare the ${what} ${key}; each ${what} belongs to one flow.`);
  owners.set(key, flow);
}

/**
 * The channel schemas composed from the flows' settings: each kind's base settings plus, under each flow's key, the
 * flow's schema. Refuses two flows with one settings key, and a key that is already one of a kind's own settings.
 */
export function channelSchemasFor(definitions: readonly AnyFlowDefinition[]): ChannelSchemas {
  const keys = new Map<string, string>();
  const contributions: FlowSettings[] = [];
  for (const d of definitions) {
    if (!d.settings) continue;
    claim(keys, 'settings key', d.settings.key, d.name);
    for (const kind of d.settings.kinds) {
      if (d.settings.key in BASE_SETTINGS_SHAPES[kind]) {
        throw new FlowCompositionError(`Flow "${d.name}": "${d.settings.key}" is already a ${kind} channel setting; a flow's settings key must be new.`);
      }
    }
    contributions.push(d.settings);
  }
  return buildChannelSchemas(contributions);
}

/**
 * Checks a flow's settings against channel settings schemas: each kind the flow applies to must hold the flow's
 * schema under its key. `schemas` defaults to the ones composed from these flows (channelSchemasFor).
 */
export function checkFlowSettings(definitions: readonly AnyFlowDefinition[], schemas?: Partial<Record<ChannelKind, z.ZodType>>): void {
  const kinds = schemas ?? channelSchemasFor(definitions).settings;
  for (const d of definitions) {
    if (!d.settings) continue;
    for (const kind of d.settings.kinds) {
      const shape = (kinds[kind] as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
      const held = shape?.[d.settings.key];
      const unwrapped = (held as { unwrap?: () => z.ZodType } | undefined)?.unwrap?.() ?? held;
      if (unwrapped !== d.settings.schema) {
        throw new FlowCompositionError(`Flow "${d.name}": the ${kind} channel settings do not hold its settings schema under "${d.settings.key}".`);
      }
    }
  }
}

/** Builds and merges the flows; refuses duplicates (flow names, topics, routes, queues, schedules). */
export function composeFlows(definitions: readonly AnyFlowDefinition[], given: FlowContext, options: Record<string, unknown> = {}): ComposedFlows {
  // One OrderEvents for every flow: the order import tells, the refund flow listens.
  const context: FlowContext = { ...given, orderEvents: given.orderEvents ?? createOrderEvents() };
  const channelSchemas = channelSchemasFor(definitions);
  checkFlowSettings(definitions, channelSchemas.settings);
  const names = new Map<string, string>();
  const topicOwners = new Map<string, string>();
  const routeOwners = new Map<string, string>();
  const queueOwners = new Map<string, string>();
  const scheduleOwners = new Map<string, string>();
  const handlers = new Map<string, SyncProcessor>();
  const routes: BoundRoute[] = [];
  const views: ConsoleView[] = [];
  const composed: ComposedFlow[] = [];
  const scheduled: Array<{ flow: string; schedule: FlowSchedule; run: () => Promise<unknown>; inFlight: () => Promise<unknown> | null }> = [];
  const queues: Array<{ flow: string; queue: FlowQueue }> = [];

  for (const d of definitions) {
    claim(names, 'flow name', d.name, d.name);
    const parts = d.create(context, options[d.name]);
    for (const [topic, handler] of Object.entries(parts.topics)) {
      claim(topicOwners, 'topic', topic, d.name);
      handlers.set(topic, handler);
    }
    for (const route of parts.routes ?? []) {
      claim(routeOwners, 'route', `${route.spec.method.toUpperCase()} ${route.spec.path}`, d.name);
      routes.push(route);
    }
    for (const q of parts.queues ?? []) {
      claim(queueOwners, 'queue', q.spec.name, d.name);
      queues.push({ flow: d.name, queue: q });
    }
    const runners = new Map<string, () => Promise<unknown>>();
    for (const s of parts.schedules ?? []) {
      claim(scheduleOwners, 'schedule', `${d.name}.${s.name}`, d.name);
      if (s.queue) claim(queueOwners, 'queue', s.queue.name, d.name);
      let running: Promise<unknown> | null = null;
      const run = (): Promise<unknown> => {
        running ??= s.run().finally(() => {
          running = null;
        });
        return running;
      };
      runners.set(s.name, run);
      scheduled.push({ flow: d.name, schedule: s, run, inFlight: () => running });
    }
    views.push(...(d.views ?? []), ...(parts.views ?? []));
    composed.push({
      name: d.name,
      parts,
      run(schedule) {
        const runner = runners.get(schedule);
        if (!runner) return Promise.reject(new FlowCompositionError(`Flow "${d.name}" has no schedule "${schedule}".`));
        return runner();
      },
    });
  }

  const processor: SyncProcessor = (ctx) => (handlers.get(ctx.record.topic) ?? parkUnhandled)(ctx);
  const timers: NodeJS.Timeout[] = [];
  return {
    flows: composed,
    channelSchemas,
    get: (name) => composed.find((f) => f.name === name),
    processor,
    routes,
    views,
    topics: topicOwners,
    async start() {
      if (queues.length) await context.jobs.ensureQueues(queues.map((q) => q.queue.spec));
      for (const { queue } of queues) await context.jobs.work(queue.spec.name, queue.work, queue.handler);
      for (const { flow, schedule, run } of scheduled) {
        if (schedule.cron && schedule.queue) {
          const { name, key } = schedule.queue;
          await context.jobs.ensureQueues([{ name, retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 300, policy: 'singleton' }]);
          await context.jobs.schedule(name, schedule.cron, {}, key);
          await context.jobs.work(name, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
            await run();
          });
        }
        if (schedule.intervalMs) {
          const timer = setInterval(() => {
            run().catch((error: unknown) => context.logger.error({ err: error, flow, schedule: schedule.name }, 'flow schedule failed'));
          }, schedule.intervalMs);
          timer.unref();
          timers.push(timer);
        }
      }
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all(scheduled.map(({ inFlight }) => inFlight()?.catch(() => undefined)));
    },
  };
}
