// buildApp wires Bolt, the HTTP routes and every capability's listeners; it does not listen.
// main.ts (and the tests) decide where it runs.
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { AppDeps } from './deps.ts';
import { registerHealth } from './http/health.ts';
import {
  DEFAULT_SERVER_LIMITS,
  isEndpoint,
  logClientErrors,
  refuseUnsignedSlack,
  type ServerLimits,
  SLACK_BODY_LIMIT,
  serverOptions,
} from './http/limits.ts';
import { bufferSlackBody } from './http/slack-body.ts';
import type { Capability } from './kernel/capability.ts';
import { answerAtAckExceptEvents } from './kernel/slack-ack.ts';
import { registerErrorHandler } from './kernel/slack-errors.ts';
import { recordListenerIds, registerFallbacks } from './kernel/slack-fallback.ts';
import { registerReplayGuard, signatureProperties } from './kernel/slack-replay.ts';
import { boltLogger } from './observability/bolt-logger.ts';

export interface BuiltApp {
  bolt: App;
  receiver: HTTPReceiver;
  /** Flipped by shutdown so load balancers stop sending work before the process stops. */
  readiness: { draining: boolean };
  /** `host` unset = every interface. */
  start(port: number, host?: string): Promise<Server>;
}

export function buildApp(
  deps: AppDeps,
  capabilities: readonly Capability<AppDeps>[],
  options: { signingSecret: string; botToken: string; limits?: Partial<ServerLimits> },
): BuiltApp {
  const readiness = { draining: false };
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_ENDPOINT,
    logger: boltLogger(deps.logger),
    bodyLimit: SLACK_BODY_LIMIT,
    customPropertiesExtractor: signatureProperties,
    // For Events API deliveries only: answerAtAckExceptEvents keeps commands answered at ack().
    processBeforeResponse: true,
  });
  const bolt = new App({
    receiver,
    token: options.botToken,
    logger: boltLogger(deps.logger),
    logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: deps.config.slack.apiUrl },
    // Bolt would call auth.test before the first request; our readiness check covers Slack.
    tokenVerificationEnabled: false,
    // The error handler gets the request body, so it can tell the person who asked.
    extendedErrorHandler: true,
  });
  answerAtAckExceptEvents(bolt, deps.logger);
  const boltListener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (refuseUnsignedSlack(req, res, SLACK_ENDPOINT)) return;
    // Everything but Slack's endpoint goes straight to our router: Bolt's custom-route matching
    // decodes the path and answers a URIError (/%FF) with a 500.
    if (isEndpoint(req, SLACK_ENDPOINT)) {
      bufferSlackBody(req, res)
        .then((ok) => ok && boltListener(req, res))
        .catch((error: unknown) => deps.logger.error({ err: error }, 'could not read a Slack request'));
    } else
      deps.http
        .handle(req, res)
        .catch((error: unknown) => deps.logger.error({ err: error }, 'request failed outside a route'));
  };
  registerHealth(deps, readiness);
  registerErrorHandler(bolt, deps);
  // First, so no capability's listener sees a replayed request.
  registerReplayGuard(bolt, deps);
  const known = recordListenerIds(bolt);
  for (const capability of capabilities) capability.register(bolt, deps);
  registerFallbacks(known);
  return {
    bolt,
    receiver,
    readiness,
    start: async (port, host) => {
      const server = await receiver.start(host ? { port, host } : port, serverOptions(limits));
      logClientErrors(server, deps.logger);
      return server;
    },
  };
}

const SLACK_ENDPOINT = '/slack/events';
