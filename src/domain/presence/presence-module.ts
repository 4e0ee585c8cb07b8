// Builds the presence API's domain (directory + token links + built-in bot) over the chat core and starts both, so
// core.ts needs one line for the whole feature. Stop them (app.stop) before the database closes.

import type { Config } from '../../config.ts';
import type { EventHub } from '../../events/event-hub.ts';
import { GitHubClient } from '../../integrations/github-client.ts';
import type { ChannelService } from '../channels.ts';
import type { Clock } from '../clock.ts';
import type { MessageService } from '../messages.ts';
import type { Repositories } from '../ports/index.ts';
import type { UnitOfWork } from '../ports/unit-of-work.ts';
import type { SnowflakeGenerator } from '../snowflake.ts';
import { PresenceDirectory } from './presence-directory.ts';
import type { PresenceService } from './presence-service.ts';
import { SystemBot } from './system-bot.ts';
import { TokenReveals } from './token-reveals.ts';

export type PresenceModuleDeps = {
  config: Config;
  clock: Clock;
  hub: EventHub;
  uow: UnitOfWork;
  ids: SnowflakeGenerator;
  repos: Pick<Repositories, 'users' | 'guilds' | 'channels' | 'presence' | 'tokenReveals'>;
  services: { presence: PresenceService; channels: ChannelService; messages: MessageService };
};

export async function startPresenceModule({ config, clock, hub, uow, ids, repos, services }: PresenceModuleDeps) {
  const store = repos.presence;
  const github = new GitHubClient({ baseUrl: config.githubApi, token: config.githubToken ?? undefined, clock });
  const presenceDirectory = new PresenceDirectory({
    uow,
    hub,
    store,
    users: repos.users,
    guilds: repos.guilds,
    presence: services.presence,
    github,
    clock,
    githubRefreshMs: config.githubRefresh * 1000,
  });
  const tokenReveals = new TokenReveals({ uow, store: repos.tokenReveals, directory: presenceDirectory, clock });
  const systemBot = new SystemBot({
    uow,
    hub,
    users: repos.users,
    guilds: repos.guilds,
    channels: repos.channels,
    presenceStore: store,
    channelService: services.channels,
    messages: services.messages,
    directory: presenceDirectory,
    reveals: tokenReveals,
    ids,
    clock,
    name: config.systemBotName,
    prefix: config.commandPrefix,
    publicUrl: config.publicUrl ?? '',
  });
  await presenceDirectory.start();
  await systemBot.start();
  return { presenceDirectory, systemBot, tokenReveals };
}
