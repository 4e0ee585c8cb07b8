// LoginBackoff's rules (login-backoff.ts: failed logins for an account make other addresses wait 1 s, 2 s, 4 s ...
// 30 s; a wait is counted per address; addresses that logged in recently skip it) kept in Redis, so an account's
// failures count on every node and a flood spread over nodes is slowed as one. Each step is one Lua script, atomic
// on the server. Keys (per lower-cased account name, existing or not): `<prefix>lb:f:<account>` (failures, last
// failure, attempts being checked), `lb:t:<account>` (address -> when its wait started), `lb:k:<account>` (address
// -> when it last logged in). Every key expires by itself.
import { DEFAULT_KEY_PREFIX, type Redis } from '../cluster/redis.ts';
import { type Clock, systemClock } from '../domain/clock.ts';
import type { LoginBackoffOptions } from './login-backoff.ts';

/** What the login route needs of a backoff, in this process (LoginBackoff) or shared (SharedLoginBackoff). */
export type LoginAttempts = {
  admit(account: string, address: string): number | null | Promise<number | null>;
  settle(account: string, address: string, outcome: 'succeeded' | 'failed' | 'aborted'): void | Promise<void>;
  trust(account: string, address: string): void | Promise<void>;
};

const MINUTE = 60_000;

// ARGV: now, address, baseMs, maxMs, forgetAfterMs, ticketGraceMs, knownForMs. Answers -1 (check it now) or the ms to wait.
const ADMIT = `
local now, address = tonumber(ARGV[1]), ARGV[2]
local base, max, forget, grace, knownFor = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '-1')
local inflight = tonumber(redis.call('HGET', KEYS[1], 'inflight') or '0')
if count >= 0 and inflight == 0 and now - tonumber(redis.call('HGET', KEYS[1], 'lastAt')) >= forget then
  redis.call('DEL', KEYS[1], KEYS[2])
  count = -1
end
local seen = redis.call('HGET', KEYS[3], address)
local need = 0
if count >= 0 and not (seen and now - tonumber(seen) < knownFor) and count + inflight > 0 then
  need = math.min(max, base * 2 ^ math.min(count + inflight - 1, 30))
end
if need > 0 then
  local started = redis.call('HGET', KEYS[2], address)
  if not started or now - tonumber(started) > need + grace then
    redis.call('HSET', KEYS[2], address, now)
    redis.call('PEXPIRE', KEYS[2], forget + max + grace)
    return need
  end
  started = tonumber(started)
  if now < started + need then return started + need - now end
  redis.call('HDEL', KEYS[2], address)
end
if count < 0 then redis.call('HSET', KEYS[1], 'count', 0, 'lastAt', now, 'inflight', 0) end
redis.call('HINCRBY', KEYS[1], 'inflight', 1)
redis.call('PEXPIRE', KEYS[1], forget + ${MINUTE})
return -1`;

// ARGV: now, address, outcome, forgetAfterMs, knownForMs, maxKnown.
const SETTLE = `
local now, address, outcome = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local forget, knownFor, maxKnown = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local inflight = tonumber(redis.call('HGET', KEYS[1], 'inflight') or '0')
if inflight > 0 then
  inflight = inflight - 1
  redis.call('HSET', KEYS[1], 'inflight', inflight)
end
if outcome == 'succeeded' then
  redis.call('DEL', KEYS[1], KEYS[2])
elseif outcome == 'failed' then
  local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '-1')
  if count < 0 or (inflight == 0 and now - tonumber(redis.call('HGET', KEYS[1], 'lastAt')) >= forget) then count = 0 end
  redis.call('HSET', KEYS[1], 'count', count + 1, 'lastAt', now, 'inflight', inflight)
  redis.call('PEXPIRE', KEYS[1], forget + ${MINUTE})
end
if outcome == 'succeeded' or outcome == 'trust' then
  redis.call('HSET', KEYS[3], address, now)
  if redis.call('HLEN', KEYS[3]) > maxKnown then
    local all = redis.call('HGETALL', KEYS[3])
    local oldest, at = nil, nil
    for i = 1, #all, 2 do
      if all[i] ~= address and (at == nil or tonumber(all[i + 1]) < at) then oldest, at = all[i], tonumber(all[i + 1]) end
    end
    if oldest then redis.call('HDEL', KEYS[3], oldest) end
  end
  redis.call('PEXPIRE', KEYS[3], knownFor)
end
return 0`;

export class SharedLoginBackoff implements LoginAttempts {
  private readonly options: Required<Pick<LoginBackoffOptions, 'baseMs' | 'maxMs' | 'forgetAfterMs' | 'ticketGraceMs' | 'knownForMs' | 'maxKnownPerAccount'>>;

  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock = systemClock,
    options: LoginBackoffOptions = {},
    private readonly prefix = DEFAULT_KEY_PREFIX,
  ) {
    this.options = {
      baseMs: options.baseMs ?? 1000,
      maxMs: options.maxMs ?? 30_000,
      forgetAfterMs: options.forgetAfterMs ?? 15 * MINUTE,
      ticketGraceMs: options.ticketGraceMs ?? MINUTE,
      knownForMs: options.knownForMs ?? 30 * 24 * 60 * MINUTE,
      maxKnownPerAccount: options.maxKnownPerAccount ?? 16,
    };
  }

  async admit(account: string, address: string): Promise<number | null> {
    const o = this.options;
    const wait = Number(
      await this.redis.eval(ADMIT, this.keys(account), [this.clock.now(), address, o.baseMs, o.maxMs, o.forgetAfterMs, o.ticketGraceMs, o.knownForMs]),
    );
    return wait < 0 ? null : wait / 1000;
  }

  async settle(account: string, address: string, outcome: 'succeeded' | 'failed' | 'aborted'): Promise<void> {
    await this.run(account, address, outcome);
  }

  async trust(account: string, address: string): Promise<void> {
    await this.run(account, address, 'trust');
  }

  private async run(account: string, address: string, outcome: string): Promise<void> {
    const o = this.options;
    await this.redis.eval(SETTLE, this.keys(account), [this.clock.now(), address, outcome, o.forgetAfterMs, o.knownForMs, o.maxKnownPerAccount]);
  }

  private keys(account: string): string[] {
    const name = account.toLowerCase();
    return [`${this.prefix}lb:f:${name}`, `${this.prefix}lb:t:${name}`, `${this.prefix}lb:k:${name}`];
  }
}
