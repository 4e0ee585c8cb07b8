// Every setting Harmony has, in one table: the CLI flag, the environment variable, the
// default and the help text all come from here, so `--help` and the README cannot drift.
import { hostname } from 'node:os';
import { parseRange } from './http/ip-range.ts';

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** postgres:// URL of the PostgreSQL database; null: SQLite in dataDir. */
  databaseUrl: string | null;
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
  /** This process's name in /health, /metrics and logs; null: `<hostname>-<pid>` (see nodeId()). */
  nodeId: string | null;
  /** Who may read /metrics: nobody, direct (unproxied) loopback callers, or anyone. */
  metrics: 'off' | 'local' | 'open';
  /** S3-compatible object storage for uploaded files; unset bucket: files stay in `<dataDir>/files`. */
  s3Endpoint: string | null;
  s3Bucket: string | null;
  s3Region: string | null;
  s3AccessKeyId: string | null;
  s3SecretAccessKey: string | null;
  s3Prefix: string;
};

export class ConfigError extends Error {}

type Setting<K extends keyof Config> = {
  key: K;
  flag: string;
  env: string;
  help: string;
  default: Config[K];
  parse: (raw: string, name: string) => Config[K];
  /** A credential: its value is never printed (help, errors, logs). */
  secret?: boolean;
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

/** A node name: short, and safe in a Prometheus label and a log line. */
const nodeName = (raw: string, name: string): string => {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) throw new ConfigError(`${name} must be 1-64 letters, digits, dots, dashes or underscores, got "${raw}"`);
  return raw;
};

/** Empty, or path segments ending with a slash (`harmony/`, `a/b/`). */
const objectPrefix = (raw: string, name: string): string => {
  if (raw !== '' && !/^([A-Za-z0-9_.-]+\/)+$/.test(raw)) throw new ConfigError(`${name} must be empty or end with a slash (e.g. harmony/), got "${raw}"`);
  return raw;
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
    key: 'databaseUrl',
    flag: '--database-url',
    env: 'HARMONY_DATABASE_URL',
    default: null,
    parse: optional((raw: string, name: string) => {
      if (!/^postgres(ql)?:\/\/\S+$/i.test(raw)) throw new ConfigError(`${name} must be a postgres:// or postgresql:// URL`);
      return raw;
    }),
    help: 'PostgreSQL database URL (postgres://user:password@host:5432/db): serve, admin, migrate, backup and restore run on it instead of SQLite',
  },
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
  {
    key: 'nodeId',
    flag: '--node-id',
    env: 'HARMONY_NODE_ID',
    default: null,
    parse: optional(nodeName),
    help: 'name of this node in /health and /metrics (letters, digits, . _ -); unset: <hostname>-<pid>',
  },
  {
    key: 'metrics',
    flag: '--metrics',
    env: 'HARMONY_METRICS',
    default: 'local',
    parse: oneOf('off', 'local', 'open'),
    help: 'who may read /metrics: off, local (loopback callers not coming through a proxy) or open',
  },
  {
    key: 's3Bucket',
    flag: '--s3-bucket',
    env: 'HARMONY_S3_BUCKET',
    default: null,
    parse: optional(text),
    help: 'S3 bucket for uploaded files (attachments, avatars, icons, emoji); unset: files stay in <data>/files',
  },
  {
    key: 's3Endpoint',
    flag: '--s3-endpoint',
    env: 'HARMONY_S3_ENDPOINT',
    default: null,
    parse: optional(url),
    help: 'S3-compatible endpoint URL (e.g. https://s3.eu-west-1.amazonaws.com, or your MinIO/Garage/Ceph); unset: AWS',
  },
  { key: 's3Region', flag: '--s3-region', env: 'HARMONY_S3_REGION', default: null, parse: optional(text), help: 'S3 region (unset: us-east-1)' },
  {
    key: 's3AccessKeyId',
    flag: '--s3-access-key-id',
    env: 'HARMONY_S3_ACCESS_KEY_ID',
    default: null,
    parse: optional(text),
    help: 'S3 access key id',
  },
  {
    key: 's3SecretAccessKey',
    flag: '--s3-secret-access-key',
    env: 'HARMONY_S3_SECRET_ACCESS_KEY',
    default: null,
    parse: optional(text),
    secret: true,
    help: 'S3 secret access key; prefer the environment variable (a flag shows in the process list); never printed',
  },
  {
    key: 's3Prefix',
    flag: '--s3-prefix',
    env: 'HARMONY_S3_PREFIX',
    default: '',
    parse: objectPrefix,
    help: 'prefix of every object key in the bucket (e.g. harmony/), so one bucket can hold several instances',
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
  const s3Settings = [config.s3Endpoint, config.s3Region, config.s3AccessKeyId, config.s3SecretAccessKey, config.s3Prefix || null];
  if (config.s3Bucket === null && s3Settings.some((value) => value !== null)) {
    throw new ConfigError('--s3-bucket is needed with the other --s3-* settings (it turns S3 file storage on)');
  }
  return config;
}

/** The name this process goes by in /health, /metrics and logs: --node-id, or `<hostname>-<pid>`. */
export function nodeId(config: Pick<Config, 'nodeId'>): string {
  return (
    config.nodeId ??
    `${hostname()
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .slice(0, 48)}-${process.pid}`
  );
}
