// loadConfig: flags over environment over defaults, every value checked, one clear error for the first bad one.
import { describe, expect, it } from 'bun:test';
import { hostname } from 'node:os';
import { ConfigError, defaultConfig, loadConfig, nodeId, SETTINGS } from '../src/config.ts';

const load = (flags: Record<string, string> = {}, env: Record<string, string | undefined> = {}) => loadConfig(flags, env);
const failure = (flags: Record<string, string>, env: Record<string, string | undefined> = {}) => {
  try {
    load(flags, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('answers the documented defaults with no flags and an empty environment', () => {
    const config = load();
    expect(config).toEqual(defaultConfig());
    expect(config).toMatchObject({
      port: 3002,
      host: '0.0.0.0',
      dataDir: './harmony-data',
      registration: 'open',
      rateLimits: true,
      publicUrl: null,
      sync: 'normal',
    });
  });

  it('reads the environment', () => {
    const config = load(
      {},
      { HARMONY_PORT: '8080', HARMONY_HOST: '127.0.0.1', HARMONY_DATA: '/var/lib/harmony', HARMONY_REGISTRATION: 'closed', HARMONY_RATE_LIMITS: 'off' },
    );
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: '/var/lib/harmony', registration: 'closed', rateLimits: false });
  });

  it('lets a flag win over the environment', () => {
    expect(load({ '--port': '9000' }, { HARMONY_PORT: '8080' }).port).toBe(9000);
    expect(load({ '--rate-limits': 'on' }, { HARMONY_RATE_LIMITS: 'off' }).rateLimits).toBe(true);
  });

  it('ignores environment variables it does not know', () => {
    expect(load({}, { HARMONY_PORTT: 'x', PATH: '/bin' })).toEqual(defaultConfig());
  });

  it('accepts port 0 (pick a free one) and 65535', () => {
    expect(load({ '--port': '0' }).port).toBe(0);
    expect(load({ '--port': '65535' }).port).toBe(65535);
  });

  it.each([
    ['--port', 'abc', '--port must be a whole number, got "abc"'],
    ['--port', '65536', '--port must be between 0 and 65535, got 65536'],
    ['--port', '-1', '--port must be a whole number, got "-1"'],
    ['--port', '80.5', '--port must be a whole number, got "80.5"'],
    ['--port', '99999999999999999999', '--port must be between 0 and 65535'],
    ['--registration', 'invite', '--registration must be one of open, closed, got "invite"'],
    ['--rate-limits', 'true', '--rate-limits must be one of on, off, got "true"'],
    ['--host', '   ', '--host must not be empty'],
    ['--public-url', 'ftp://example.com', '--public-url must be an http(s) URL, got "ftp://example.com"'],
    ['--public-url', 'not a url', '--public-url must be an http(s) URL'],
    ['--heartbeat-interval', '999', '--heartbeat-interval must be between 1000 and 600000, got 999'],
    ['--trusted-proxies', '10.0.0.0/33', '--trusted-proxies must be a comma-separated list of addresses and CIDR ranges (or none), got "10.0.0.0/33"'],
    ['--trusted-proxies', '127.0.0.1,proxy.local', 'got "proxy.local"'],
    ['--max-connections-per-address', '0', '--max-connections-per-address must be between 1 and 1000000, got 0'],
  ])('refuses %s %p with a ConfigError naming the flag', (flag, value, message) => {
    expect(failure({ [flag]: value })).toContain(message);
  });

  it('names the environment variable when the bad value came from there', () => {
    expect(failure({}, { HARMONY_PORT: 'eighty' })).toBe('HARMONY_PORT must be a whole number, got "eighty"');
    expect(failure({}, { HARMONY_REGISTRATION: 'Open' })).toContain('HARMONY_REGISTRATION must be one of open, closed');
  });

  it('does not look at the environment when the flag is given', () => {
    expect(load({ '--port': '1234' }, { HARMONY_PORT: 'garbage' }).port).toBe(1234);
  });

  it('refuses an unknown flag', () => {
    expect(failure({ '--prot': '1' })).toBe('unknown option --prot (see harmony --help)');
  });

  it('takes an empty optional setting as unset, and strips trailing slashes from URLs', () => {
    expect(load({}, { HARMONY_PUBLIC_URL: '' }).publicUrl).toBeNull();
    expect(load({ '--public-url': 'https://chat.example.com/harmony//' }).publicUrl).toBe('https://chat.example.com/harmony');
  });

  it('reads --trusted-proxies as a list of IPv4 and IPv6 addresses and CIDRs; none trusts no proxy', () => {
    expect(load({}, { HARMONY_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(load({ '--trusted-proxies': 'none' }).trustedProxies).toEqual([]);
    expect(load().trustedProxies).toBeNull();
  });

  it('caps WebSockets at 100 per client address unless told otherwise', () => {
    expect(load().maxConnectionsPerAddress).toBe(100);
    expect(load({}, { HARMONY_MAX_CONNECTIONS_PER_ADDRESS: '5' }).maxConnectionsPerAddress).toBe(5);
  });

  it('has one flag and one HARMONY_ variable per setting, none shared', () => {
    const flags = SETTINGS.map((s) => s.flag);
    const envs = SETTINGS.map((s) => s.env);
    expect(new Set(flags).size).toBe(SETTINGS.length);
    expect(new Set(envs).size).toBe(SETTINGS.length);
    for (const s of SETTINGS) {
      expect(s.flag).toMatch(/^--[a-z][a-z0-9-]*$/);
      expect(s.env).toMatch(/^HARMONY_[A-Z0-9_]+$/);
      expect(s.help.length).toBeGreaterThan(0);
    }
  });

  it('parses every default when given it as text (the table is self-consistent)', () => {
    for (const s of SETTINGS) {
      if (s.default === null) continue;
      const text = typeof s.default === 'boolean' ? (s.default ? 'on' : 'off') : String(s.default);
      expect({ flag: s.flag, value: s.parse(text, s.flag) }).toEqual({ flag: s.flag, value: s.default });
    }
  });
});

describe('operations settings (issue 13)', () => {
  it('names the node after --node-id, or <hostname>-<pid>, and refuses a name unsafe in a label', () => {
    expect(nodeId(load({ '--node-id': 'eu-1.a_b' }))).toBe('eu-1.a_b');
    expect(nodeId(load({}, { HARMONY_NODE_ID: 'node-2' }))).toBe('node-2');
    expect(nodeId(load())).toBe(
      `${hostname()
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .slice(0, 48)}-${process.pid}`,
    );
    expect(failure({ '--node-id': 'a b' })).toBe('--node-id must be 1-64 letters, digits, dots, dashes or underscores, got "a b"');
  });

  it('keeps /metrics local by default and takes off, local or open', () => {
    expect(load().metrics).toBe('local');
    expect(load({ '--metrics': 'open' }).metrics).toBe('open');
    expect(failure({}, { HARMONY_METRICS: 'public' })).toBe('HARMONY_METRICS must be one of off, local, open, got "public"');
  });

  it('turns S3 storage on with a bucket, wants the bucket with any other --s3-* setting, and checks the prefix', () => {
    expect(load()).toMatchObject({ s3Bucket: null, s3Endpoint: null, s3Prefix: '' });
    expect(
      load({ '--s3-bucket': 'files', '--s3-endpoint': 'http://minio:9000/', '--s3-prefix': 'harmony/' }, { HARMONY_S3_SECRET_ACCESS_KEY: 'k' }),
    ).toMatchObject({
      s3Bucket: 'files',
      s3Endpoint: 'http://minio:9000',
      s3Prefix: 'harmony/',
      s3SecretAccessKey: 'k',
    });
    expect(failure({}, { HARMONY_S3_SECRET_ACCESS_KEY: 'k' })).toBe('--s3-bucket is needed with the other --s3-* settings (it turns S3 file storage on)');
    expect(failure({ '--s3-bucket': 'b', '--s3-prefix': 'no-slash' })).toBe('--s3-prefix must be empty or end with a slash (e.g. harmony/), got "no-slash"');
    expect(failure({ '--s3-bucket': 'b', '--s3-endpoint': 'ftp://x' })).toBe('--s3-endpoint must be an http(s) URL, got "ftp://x"');
  });
});

describe('defaultConfig', () => {
  it('applies overrides on top of the defaults', () => {
    expect(defaultConfig({ port: 0, registration: 'closed' })).toMatchObject({ port: 0, registration: 'closed', host: '0.0.0.0' });
  });
});
