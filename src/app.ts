// buildApp wires Bolt, the HTTP routes and every capability; it does not listen. main.ts
// (and the tests) decide where it runs.
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import * as alertIntake from './capabilities/alert-intake/index.ts';
import * as errorBudget from './capabilities/error-budget/index.ts';
import * as incidentChannel from './capabilities/incident-channel/index.ts';
import * as killSwitch from './capabilities/kill-switch/index.ts';
import * as paging from './capabilities/paging/index.ts';
import * as postmortem from './capabilities/postmortem/index.ts';
import * as stakeholderUpdates from './capabilities/stakeholder-updates/index.ts';
import type { AppDeps } from './deps.ts';
import { registerHealth } from './http/health.ts';
import { boltLogger } from './observability/bolt-logger.ts';

export interface BuiltApp {
  bolt: App;
  receiver: HTTPReceiver;
  /** Flipped by shutdown so load balancers stop sending work before the process stops. */
  readiness: { draining: boolean };
  /** `host` unset = every interface. */
  start(port: number, host?: string): Promise<Server>;
}

export function buildApp(deps: AppDeps, options: { signingSecret: string; botToken: string }): BuiltApp {
  const readiness = { draining: false };
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: '/slack/events',
    logger: boltLogger(deps.logger),
    customRoutes: [
      {
        path: '/',
        method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        handler: (req, res) => void deps.http.handle(req, res),
      },
      {
        path: '/*path',
        method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        handler: (req, res) => void deps.http.handle(req, res),
      },
    ],
  });
  const bolt = new App({
    receiver,
    token: options.botToken,
    logger: boltLogger(deps.logger),
    logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: deps.config.slack.apiUrl },
    // Bolt would call auth.test before the first request; our readiness check covers Slack.
    tokenVerificationEnabled: false,
  });
  registerHealth(deps, readiness);
  alertIntake.register(deps);
  paging.register(bolt, deps);
  killSwitch.register(bolt, deps);
  incidentChannel.register(bolt, deps);
  stakeholderUpdates.register(bolt, deps);
  postmortem.register(bolt, deps);
  errorBudget.register(bolt, deps);
  return {
    bolt,
    receiver,
    readiness,
    start: (port, host) => receiver.start(host ? { port, host } : port) as Promise<Server>,
  };
}
