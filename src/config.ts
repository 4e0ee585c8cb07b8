// Every setting Harmony has, in one table: the CLI flag, the environment variable, the
// default and the help text all come from here, so `--help` and the README cannot drift.
import { parseRange } from './http/ip-range.ts';

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** Public origin (and optional path prefix) under which clients reach this server. */
  publicUrl: string | null;
  /** Addresses and CIDR ranges of the proxies whose X-Forwarded-For is believed; null: loopback when publicUrl is set. */
  trustedProxies: string[] | null;
  registration: 'open' | 'closed';
  /** Days without use after which a person's session ends. */
  sessionIdleDays: number;
  /** Days after its login at which a session ends, however much it is used. */
  sessionLifetimeDays: number;
  rateLimits: boolean;
  sync: 'normal' | 'full';
  /** Redis shared by every node of one instance (events, gateway sessions, rate limits, worker ids, locks); null: one node. */
  redisUrl: string | null;
  /** Milliseconds between gateway heartbeats that clients are told to keep. */
  heartbeatInterval: number;
  /** Seconds of gateway history kept so a dropped session can RESUME. */
  resumeWindow: number;
  commandPrefix: string;
  systemBotName: string;
  githubApi: string;
  githubToken: string | null;
  /** Seconds between background refreshes of a linked GitHub profile. */
  githubRefresh: number;
  /** Public presence requests (the /user and /v1 faces) per client address per minute, and per second. */
  presenceRateLimit: number;
  presenceRateBurst: number;
  /** Who may use the /socket's subscribe_to_all: nobody, instance admins (with their API token), or anyone. */
  socketSubscribeAll: 'off' | 'admin' | 'open';
  /** Open WebSockets (gateways and /socket together) one client address may hold. */
  maxConnectionsPerAddress: number;
  /** Largest file a message may carry, in bytes, and how many files one message may carry. */
  maxAttachmentBytes: number;
  maxAttachments: number;
  discordToken: string | null;
  discordGuildId: string | null;
  discordApi: string;
};

export class ConfigError extends Error {}

type Setting<K extends keyof Config> = {
  key: K;
  flag: string;
  env: string;
  help: string;
  default: Config[K];
  parse: (raw: string, name: string) => Config[K];
};

const integer =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
    return value;
  };

const oneOf =
  <T extends string>(...choices: T[]) =>
  (raw: string, name: string): T => {
    if (!choices.includes(raw as T)) throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
    return raw as T;
  };

const onOff = (raw: string, name: string): boolean => oneOf('on', 'off')(raw, name) === 'on';

const text = (raw: string, name: string): string => {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty`);
  return raw;
};

const url = (raw: string, name: string): string => {
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
};

const redisUrl = (raw: string, name: string): string => {
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error();
  } catch {
    throw new ConfigError(`${name} must be a redis:// or rediss:// URL, got "${raw}"`);
  }
  return raw;
};

// `none` trusts no proxy (even with a public URL); otherwise every entry must be an address or a CIDR range.
const addressList = (raw: string, name: string): string[] => {
  if (raw.trim() === 'none') return [];
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (parseRange(entry) === null) throw new ConfigError(`${name} must be a comma-separated list of addresses and CIDR ranges (or none), got "${entry}"`);
  }
  return entries;
};

const optional =
  <T>(parse: (raw: string, name: string) => T) =>
  (raw: string, name: string): T | null =>
    raw === '' ? null : parse(raw, name);

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous table of settings, each typed by its own key
export const SETTINGS: Setting<any>[] = [
  { key: 'port', flag: '--port', env: 'HARMONY_PORT', default: 3002, parse: integer(0, 65535), help: 'TCP port to listen on (0 picks a free one)' },
  { key: 'host', flag: '--host', env: 'HARMONY_HOST', default: '0.0.0.0', parse: text, help: 'address to bind' },
  { key: 'dataDir', flag: '--data', env: 'HARMONY_DATA', default: './harmony-data', parse: text, help: 'folder holding the SQLite database' },
  {
    key: 'publicUrl',
    flag: '--public-url',
    env: 'HARMONY_PUBLIC_URL',
    default: null,
    parse: optional(url),
    help: 'public URL clients use (e.g. https://chat.example.com/harmony); used in every URL the server hands out',
  },
  {
    key: 'trustedProxies',
    flag: '--trusted-proxies',
    env: 'HARMONY_TRUSTED_PROXIES',
    default: null,
    parse: optional(addressList),
    help: 'proxies (addresses and CIDRs, comma-separated, or none) whose X-Forwarded-For names the client; unset: loopback when --public-url is set, none otherwise',
  },
  {
    key: 'registration',
    flag: '--registration',
    env: 'HARMONY_REGISTRATION',
    default: 'open',
    parse: oneOf('open', 'closed'),
    help: 'whether anyone may create an account (open|closed)',
  },
  {
    key: 'sessionIdleDays',
    flag: '--session-idle-days',
    env: 'HARMONY_SESSION_IDLE_DAYS',
    default: 30,
    parse: integer(1, 3650),
    help: 'days without use after which a login session ends',
  },
  {
    key: 'sessionLifetimeDays',
    flag: '--session-lifetime-days',
    env: 'HARMONY_SESSION_LIFETIME_DAYS',
    default: 365,
    parse: integer(1, 3650),
    help: 'days after login at which a session ends, however much it is used',
  },
  {
    key: 'rateLimits',
    flag: '--rate-limits',
    env: 'HARMONY_RATE_LIMITS',
    default: true,
    parse: onOff,
    help: 'enforce REST, login and gateway rate limits (on|off)',
  },
  {
    key: 'sync',
    flag: '--sync',
    env: 'HARMONY_SYNC',
    default: 'normal',
    parse: oneOf('normal', 'full'),
    help: 'normal survives a crash of the process; full also survives power loss',
  },
  {
    key: 'redisUrl',
    flag: '--redis-url',
    env: 'HARMONY_REDIS_URL',
    default: null,
    parse: optional(redisUrl),
    help: 'Redis that several nodes share (redis://[user:password@]host:port[/db]); unset: one node, all state in this process',
  },
  {
    key: 'heartbeatInterval',
    flag: '--heartbeat-interval',
    env: 'HARMONY_HEARTBEAT_INTERVAL',
    default: 30000,
    parse: integer(1000, 600000),
    help: 'gateway heartbeat interval in ms',
  },
  {
    key: 'resumeWindow',
    flag: '--resume-window',
    env: 'HARMONY_RESUME_WINDOW',
    default: 120,
    parse: integer(0, 3600),
    help: 'seconds a dropped gateway session can RESUME',
  },
  {
    key: 'commandPrefix',
    flag: '--command-prefix',
    env: 'HARMONY_COMMAND_PREFIX',
    default: '.',
    parse: text,
    help: 'prefix of the presence bot commands (.add, .token, ...)',
  },
  {
    key: 'systemBotName',
    flag: '--system-bot-name',
    env: 'HARMONY_SYSTEM_BOT_NAME',
    default: 'Harmy',
    parse: text,
    help: 'username of the built-in presence bot',
  },
  {
    key: 'githubApi',
    flag: '--github-api',
    env: 'HARMONY_GITHUB_API',
    default: 'https://api.github.com',
    parse: url,
    help: 'GitHub API base URL for .github links',
  },
  {
    key: 'githubToken',
    flag: '--github-token',
    env: 'HARMONY_GITHUB_TOKEN',
    default: null,
    parse: optional(text),
    help: 'optional GitHub token (raises GitHub rate limits)',
  },
  {
    key: 'githubRefresh',
    flag: '--github-refresh',
    env: 'HARMONY_GITHUB_REFRESH',
    default: 3600,
    parse: integer(60, 604800),
    help: 'seconds between background refreshes of linked GitHub profiles',
  },
  {
    key: 'presenceRateLimit',
    flag: '--presence-rate-limit',
    env: 'HARMONY_PRESENCE_RATE_LIMIT',
    default: 120,
    parse: integer(1, 1000000),
    help: 'presence API requests (/user, /v1) per client address per minute',
  },
  {
    key: 'presenceRateBurst',
    flag: '--presence-rate-burst',
    env: 'HARMONY_PRESENCE_RATE_BURST',
    default: 3,
    parse: integer(1, 100000),
    help: 'presence API requests per client address per second',
  },
  {
    key: 'socketSubscribeAll',
    flag: '--socket-subscribe-all',
    env: 'HARMONY_SOCKET_SUBSCRIBE_ALL',
    default: 'admin',
    parse: oneOf('off', 'admin', 'open'),
    help: "who may subscribe_to_all on /socket: off, admin (an instance admin's API token) or open",
  },
  {
    key: 'maxConnectionsPerAddress',
    flag: '--max-connections-per-address',
    env: 'HARMONY_MAX_CONNECTIONS_PER_ADDRESS',
    default: 100,
    parse: integer(1, 1000000),
    help: 'open WebSockets (/gateway, /gateway/discord, /socket together) per client address',
  },
  {
    key: 'maxAttachmentBytes',
    flag: '--max-attachment-bytes',
    env: 'HARMONY_MAX_ATTACHMENT_BYTES',
    default: 25 * 1024 * 1024,
    parse: integer(1, 1024 * 1024 * 1024),
    help: 'largest file a message may carry, in bytes (25 MiB by default); larger uploads get 413 with code 40005',
  },
  {
    key: 'maxAttachments',
    flag: '--max-attachments',
    env: 'HARMONY_MAX_ATTACHMENTS',
    default: 10,
    parse: integer(1, 100),
    help: 'files one message may carry',
  },
  {
    key: 'discordToken',
    flag: '--discord-token',
    env: 'HARMONY_DISCORD_TOKEN',
    default: null,
    parse: optional(text),
    help: 'Discord bot token: turns the Discord presence bridge on',
  },
  {
    key: 'discordGuildId',
    flag: '--discord-guild-id',
    env: 'HARMONY_DISCORD_GUILD_ID',
    default: null,
    parse: optional(text),
    help: 'Discord server whose members the bridge mirrors',
  },
  {
    key: 'discordApi',
    flag: '--discord-api',
    env: 'HARMONY_DISCORD_API',
    default: 'https://discord.com/api',
    parse: url,
    help: 'Discord API base URL (point it at another Harmony to test)',
  },
];

export function defaultConfig(overrides: Partial<Config> = {}): Config {
  const config = Object.fromEntries(SETTINGS.map((s) => [s.key, s.default])) as Config;
  return { ...config, ...overrides };
}

/** Reads flags first, then the environment, then defaults. Throws ConfigError on the first bad value. */
export function loadConfig(flags: Record<string, string>, env: Record<string, string | undefined>): Config {
  const config = defaultConfig();
  const known = new Set(SETTINGS.map((s) => s.flag));
  for (const flag of Object.keys(flags)) {
    if (!known.has(flag)) throw new ConfigError(`unknown option ${flag} (see harmony --help)`);
  }
  for (const setting of SETTINGS) {
    const fromFlag = flags[setting.flag];
    const fromEnv = env[setting.env];
    if (fromFlag !== undefined) (config as Record<string, unknown>)[setting.key] = setting.parse(fromFlag, setting.flag);
    else if (fromEnv !== undefined) (config as Record<string, unknown>)[setting.key] = setting.parse(fromEnv, setting.env);
  }
  return config;
}
