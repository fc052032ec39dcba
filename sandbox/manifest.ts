// What the sandbox takes from manifest.yml, as Slack takes it when the app is created from it:
// the slash commands with their usage hints, the events the app subscribes to, and the App Home tabs.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { SlashCommandSpec } from '../slack-standin/app-connection.js';

const manifestSchema = z.object({
  display_information: z.object({ name: z.string(), description: z.string().optional(), background_color: z.string().optional() }),
  features: z
    .object({
      app_home: z
        .object({
          home_tab_enabled: z.boolean().default(false),
          messages_tab_enabled: z.boolean().default(false),
          messages_tab_read_only_enabled: z.boolean().default(false),
        })
        .optional(),
      bot_user: z.object({ display_name: z.string() }).optional(),
      slash_commands: z
        .array(
          z.object({
            command: z.string(),
            description: z.string().optional(),
            usage_hint: z.string().optional(),
            should_escape: z.boolean().optional(),
          }),
        )
        .default([]),
    })
    .default({ slash_commands: [] }),
  settings: z.object({ event_subscriptions: z.object({ bot_events: z.array(z.string()).default([]) }).optional() }).optional(),
});

export interface AppManifest {
  name: string;
  botName: string;
  description: string;
  color: string;
  commands: SlashCommandSpec[];
  botEvents: ReadonlySet<string>;
  homeTabEnabled: boolean;
  messagesTabEnabled: boolean;
  messagesTabReadOnly: boolean;
}

export function readManifest(path: string): AppManifest {
  const manifest = manifestSchema.parse(parse(readFileSync(path, 'utf8')));
  const appHome = manifest.features.app_home;
  return {
    name: manifest.display_information.name,
    botName: manifest.features.bot_user?.display_name ?? manifest.display_information.name,
    description: manifest.display_information.description ?? '',
    color: manifest.display_information.background_color ?? '#4a154b',
    commands: manifest.features.slash_commands,
    botEvents: new Set(manifest.settings?.event_subscriptions?.bot_events ?? []),
    homeTabEnabled: appHome?.home_tab_enabled ?? false,
    messagesTabEnabled: appHome?.messages_tab_enabled ?? false,
    messagesTabReadOnly: appHome?.messages_tab_read_only_enabled ?? false,
  };
}
