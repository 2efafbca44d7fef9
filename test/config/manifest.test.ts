import { readFileSync } from 'node:fs';
import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

// Slack's own manifest type: the scope and event names below must exist in it, checked by tsc.
type SlackManifest = webApi.AppsManifestCreateArguments['manifest'];
type BotScope = NonNullable<NonNullable<NonNullable<SlackManifest['oauth_config']>['scopes']>['bot']>[number];
type BotEvent = NonNullable<
  NonNullable<NonNullable<SlackManifest['settings']>['event_subscriptions']>['bot_events']
>[number];

const COMMANDS = [
  '/ai-kill',
  '/ai-update',
  '/ai-postmortem',
  '/ai-incident',
  '/ai-oncall',
  '/ai-budget',
  '/ai-watch',
];

// Exactly what the product uses: a missing scope breaks a feature, an extra one makes
// workspace admins less willing to approve the install.
const SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'users:read.email',
  'im:write',
  'channels:manage',
  'groups:write',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'im:history',
  'channels:join',
  'pins:write',
  'reactions:read',
  'files:write',
  'usergroups:read',
  'app_mentions:read',
] as const satisfies readonly BotScope[];

/** Each subscribed event and the scope Slack requires before it will deliver it. */
const EVENT_SCOPES = {
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  reaction_added: 'reactions:read',
  app_mention: 'app_mentions:read',
  member_joined_channel: 'channels:read',
} as const satisfies Partial<Record<BotEvent, BotScope>>;

const EVENTS = Object.keys(EVENT_SCOPES) as (keyof typeof EVENT_SCOPES)[];

const httpsUrl = z.url({ protocol: /^https$/ });

// Limits from Slack's app manifest reference.
const ManifestSchema = z.object({
  _metadata: z.object({ major_version: z.literal(1) }).optional(),
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140),
    long_description: z.string().min(174).max(4000),
    background_color: z.string().regex(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i),
  }),
  features: z.object({
    bot_user: z.object({ display_name: z.string().regex(/^[a-z0-9._-]{1,80}$/), always_online: z.boolean() }),
    slash_commands: z
      .array(
        z.strictObject({
          command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
          url: httpsUrl,
          description: z.string().min(1).max(2000),
          usage_hint: z.string().min(1).max(1000),
          should_escape: z.boolean(),
        }),
      )
      .max(50),
    shortcuts: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          type: z.enum(['global', 'message']),
          callback_id: z.string().min(1).max(255),
          description: z.string().min(1).max(150),
        }),
      )
      .max(10),
  }),
  oauth_config: z.object({ scopes: z.strictObject({ bot: z.array(z.enum(SCOPES)).max(255) }) }),
  settings: z.object({
    event_subscriptions: z.strictObject({
      request_url: httpsUrl,
      bot_events: z.array(z.enum(EVENTS)).max(100),
    }),
    interactivity: z.strictObject({ is_enabled: z.literal(true), request_url: httpsUrl }),
    org_deploy_enabled: z.literal(false),
    socket_mode_enabled: z.literal(false),
    token_rotation_enabled: z.literal(false),
  }),
});

const manifest = ManifestSchema.parse(
  parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')),
);

describe('manifest.yml', () => {
  it('declares every slash command with a URL, description and usage hint', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...COMMANDS].sort());
  });

  it('sends everything to one host, at Bolt’s /slack/events endpoint', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    expect(new Set(urls.map((u) => new URL(u).host)).size).toBe(1);
    for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events');
  });

  it('asks for exactly the scopes the product uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SCOPES].sort());
  });

  it('subscribes to message capture, reactions, mentions and joins', () => {
    const events = manifest.settings.event_subscriptions.bot_events;
    expect(events).toContain('message.channels');
    expect(events).toContain('message.groups');
    expect([...events].sort()).toEqual([...EVENTS].sort());
  });

  it('holds the scope each subscribed event needs', () => {
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(manifest.oauth_config.scopes.bot).toContain(EVENT_SCOPES[event]);
    }
  });

  it('enables interactivity and the Add to timeline message shortcut', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({ type: 'message', name: 'Add to timeline', callback_id: 'add_to_timeline' }),
    );
  });
});
