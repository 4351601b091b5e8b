import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../kernel/index.js';

/** The gateway's Fastify instance, typed with the hub's own (pino) logger. */
export type GatewayApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;
