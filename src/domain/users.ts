// Accounts: people (password + session tokens) and bots (one token each, created by admins).
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import type { FileStore } from '../files/file-store.ts';
import { ApiError, invalidField, unauthorized, unknown } from '../http/api-error.ts';
import type { Clock } from './clock.ts';
import { prepareProfileImage, storedImage } from './images.ts';
import type { User } from './model/user.ts';
import type { GuildsRepo, ImagesRepo, SettingsRepo, UsersRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';
import type { SessionOrigin, SessionService } from './sessions.ts';
import type { SnowflakeGenerator } from './snowflake.ts';
import { leaveThreads } from './threads.ts';
import type { TokenCallers } from './token-callers.ts';
import { digestHex, newToken, tokenDigest } from './tokens.ts';

export type { User } from './model/user.ts';
export { tombstone } from './model/user.ts';

/** Which kind of secret a token is: a bot's token (`Authorization: Bot`) or a person's session (`Bearer`). */
export type TokenKind = 'bot' | 'session';

/** Who is calling: resolved once per request or gateway session from its token. */
export type Caller = { user: User; tokenHash: Uint8Array; kind: TokenKind };

export const USERNAME_PATTERN = /^[a-zA-Z0-9_.]{2,32}$/;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 256;

export function checkUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw invalidField('username', 'USERNAME_INVALID', 'Username must be 2-32 characters of letters, digits, _ and .');
  }
}

function checkPassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN) throw invalidField(field, 'PASSWORD_TOO_SHORT', `Password must be at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw invalidField(field, 'PASSWORD_TOO_LONG', `Password must be at most ${PASSWORD_MAX} characters`);
}

const wrongPassword = () => invalidField('password', 'PASSWORD_DOES_NOT_MATCH', 'Password does not match');
const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: 'argon2id' });

const NO_ORIGIN: SessionOrigin = { device: null, address: null };

export class UserService {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepo,
    private readonly sessions: SessionService,
    private readonly guilds: GuildsRepo,
    private readonly settings: SettingsRepo,
    private readonly images: ImagesRepo,
    private readonly files: FileStore,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
    private readonly defaultRegistration: 'open' | 'closed',
    private readonly botCallers: TokenCallers<User>,
  ) {}

  async registration(): Promise<'open' | 'closed'> {
    return (await this.settings.get('registration')) === 'closed'
      ? 'closed'
      : (await this.settings.get('registration')) === 'open'
        ? 'open'
        : this.defaultRegistration;
  }

  async setRegistration(value: 'open' | 'closed'): Promise<void> {
    await this.uow.write(async () => this.settings.set('registration', value));
  }

  /** Self-service sign-up. The first person on a fresh instance becomes its admin. */
  async register(username: string, password: string, origin: SessionOrigin = NO_ORIGIN): Promise<{ user: User; token: string }> {
    if ((await this.registration()) === 'closed') throw new ApiError(403, Codes.GeneralError, 'Registration is closed on this instance');
    return this.createUser({ username, password, admin: false }, origin);
  }

  /** Creates a person; `admin` forces admin rights (CLI), otherwise only the first person gets them. */
  async createUser(input: { username: string; password: string; admin: boolean }, origin: SessionOrigin = NO_ORIGIN): Promise<{ user: User; token: string }> {
    checkUsername(input.username);
    checkPassword(input.password);
    const passwordHash = await hashPassword(input.password);
    return this.uow.write(async () => {
      if (await this.users.usernameTaken(input.username)) throw invalidField('username', 'USERNAME_ALREADY_TAKEN', 'Username is already taken');
      const { id: userId, at } = this.ids.mint();
      const admin = input.admin || (await this.users.countHumans()) === 0;
      await this.users.insert({ id: userId, username: input.username, passwordHash, bot: false, admin, createdAt: at });
      return { user: await this.mustGet(userId), token: await this.sessions.open(userId, origin) };
    });
  }

  async login(username: string, password: string, origin: SessionOrigin = NO_ORIGIN): Promise<{ user: User; token: string }> {
    const found = USERNAME_PATTERN.test(username) ? await this.users.byUsername(username) : null;
    // Unknown names are checked against a dummy hash so timing does not reveal which accounts exist.
    const hash = found?.passwordHash ?? (await this.dummy());
    const ok = await Bun.password.verify(password.slice(0, PASSWORD_MAX), hash);
    if (!ok || !found || found.bot || found.disabled) throw new ApiError(401, Codes.GeneralError, 'Invalid username or password');
    const { passwordHash: _, ...user } = found;
    return { user, token: await this.uow.write(async () => this.sessions.open(user.id, origin)) };
  }

  async logout(caller: Caller): Promise<void> {
    if (caller.kind !== 'session') throw new ApiError(400, Codes.GeneralError, 'Only user sessions can log out; bot tokens are regenerated by an admin');
    const current = await this.sessions.use(caller.tokenHash);
    if (current) await this.sessions.revoke(caller.user.id, current.session.id);
  }

  /**
   * Resolves a token to its caller; null if unknown, expired, of another kind than `kind` (when given) or the account
   * is disabled. The gateways pass no kind: IDENTIFY carries a bare token of either kind, as Discord's does.
   */
  async authenticate(token: string, kind?: TokenKind): Promise<Caller | null> {
    if (token.length < 16 || token.length > 256) return null;
    const tokenHash = tokenDigest(token);
    if (kind !== 'bot') {
      const session = await this.sessions.use(tokenHash);
      if (session) {
        const { user } = session;
        return !user.disabled && !user.deleted ? { user, tokenHash, kind: 'session' } : null;
      }
    }
    if (kind !== 'session') {
      const key = digestHex(tokenHash);
      const bot = await this.botCallers.resolve(key, () => this.users.byBotTokenHash(tokenHash));
      if (bot) return bot.disabled ? null : { user: bot, tokenHash, kind: 'bot' };
    }
    return null;
  }

  /** A new password, after the current one; every other session of the person ends. */
  async changePassword(caller: Caller, current: string, next: string): Promise<void> {
    const self = this.requireSession(caller);
    checkPassword(next, 'new_password');
    if (!(await this.passwordMatches(self.id, current))) throw wrongPassword();
    const passwordHash = await hashPassword(next);
    await this.uow.write(async (emit) => {
      await this.users.setPasswordHash(self.id, passwordHash);
      await this.sessions.revokeAll(emit, self.id, caller.tokenHash);
    });
  }

  /**
   * Deletes the caller's own account, Discord-style: the row stays as "Deleted User" so old messages keep an author,
   * while the name, the password, every session and every membership go. Owned guilds must be handed over (or deleted)
   * first, and the instance's last admin cannot leave it without one.
   */
  async deleteAccount(caller: Caller, password: string): Promise<void> {
    const self = this.requireSession(caller);
    if (!(await this.passwordMatches(self.id, password))) throw wrongPassword();
    await this.uow.write(async (emit) => {
      const owned = (await this.guilds.guildsOf(self.id)).filter((g) => g.ownerId === self.id);
      if (owned.length > 0) {
        throw new ApiError(400, Codes.GeneralError, `Transfer or delete the servers you own first (${owned.map((g) => g.name).join(', ')})`);
      }
      if (self.admin && (await this.users.countAdmins()) === 1) {
        throw new ApiError(400, Codes.GeneralError, "The instance's only admin cannot delete their account; make someone else an admin first");
      }
      for (const guild of await this.guilds.guildsOf(self.id)) {
        await this.guilds.deleteMember(guild.id, self.id);
        emit({ type: 'member.leave', guildId: guild.id, userId: self.id, reason: 'leave' });
        await leaveThreads(this.uow.repos, guild.id, self.id, emit);
      }
      await this.sessions.revokeAll(emit, self.id, null);
      await this.users.markDeleted(self.id, this.clock.now());
      emit({ type: 'credentials.revoked', userId: self.id, tokenHash: null });
    });
  }

  async require(token: string | null): Promise<Caller> {
    const caller = token ? await this.authenticate(token) : null;
    if (!caller) throw unauthorized();
    return caller;
  }

  async get(userId: string): Promise<User> {
    return this.mustGet(userId);
  }

  async find(userId: string): Promise<User | null> {
    return await this.users.byId(userId);
  }

  /**
   * Display name, avatar and (as Discord lets bots do) the username, which must stay unique. The avatar is an
   * image as a data URI (see images.ts), stored under its hash, or null to go back to the default avatar.
   */
  async updateProfile(userId: string, fields: { globalName?: string | null; avatar?: string | null; username?: string }): Promise<User> {
    if (fields.username !== undefined) checkUsername(fields.username);
    if (fields.globalName != null && (fields.globalName.trim().length === 0 || fields.globalName.length > 32)) {
      throw invalidField('global_name', 'BASE_TYPE_BAD_LENGTH', 'Display name must be 1-32 characters');
    }
    const usernameTaken = async () =>
      fields.username !== undefined &&
      fields.username.toLowerCase() !== (await this.mustGet(userId)).username.toLowerCase() &&
      this.users.usernameTaken(fields.username);
    // Checked before the image is written too, so a refused request stores nothing.
    if (await usernameTaken()) throw invalidField('username', 'USERNAME_ALREADY_TAKEN', 'Username is already taken');
    const upload = await prepareProfileImage('avatar', fields.avatar, this.files);
    return this.uow.write(async (emit) => {
      if (await usernameTaken()) throw invalidField('username', 'USERNAME_ALREADY_TAKEN', 'Username is already taken');
      const previous = (await this.mustGet(userId)).avatar;
      if (upload) await this.images.insert('avatar', userId, storedImage(upload), this.clock.now());
      // A replaced avatar's URL stops answering: the row goes (the bytes may be shared with another image).
      if (upload !== undefined && previous !== null && previous !== upload?.hash) await this.images.delete('avatar', userId, previous);
      await this.users.update(userId, {
        globalName: fields.globalName,
        username: fields.username,
        ...(upload === undefined ? {} : { avatar: upload?.hash ?? null }),
      });
      const user = await this.mustGet(userId);
      emit({ type: 'user.update', user });
      return user;
    });
  }

  // ---- bots ----

  async createBot(input: { username: string; description?: string | null; createdBy: string | null }): Promise<{ bot: User; token: string }> {
    checkUsername(input.username);
    if (input.description && input.description.length > 400)
      throw invalidField('description', 'BASE_TYPE_MAX_LENGTH', 'Description must be at most 400 characters');
    return this.uow.write(async () => {
      if (await this.users.usernameTaken(input.username)) throw invalidField('username', 'USERNAME_ALREADY_TAKEN', 'Username is already taken');
      const { id: botId, at } = this.ids.mint();
      const token = newToken(botId);
      await this.users.insert({
        id: botId,
        username: input.username,
        passwordHash: null,
        bot: true,
        admin: false,
        description: input.description ?? null,
        createdBy: input.createdBy,
        botTokenHash: tokenDigest(token),
        createdAt: at,
      });
      return { bot: await this.mustGet(botId), token };
    });
  }

  /** The old token stops working at once, open gateway sessions included. */
  async regenerateBotToken(botId: string): Promise<{ bot: User; token: string }> {
    const bot = await this.mustGetBot(botId);
    const token = newToken(bot.id);
    await this.uow.write(async (emit) => {
      await this.users.setBotTokenHash(bot.id, tokenDigest(token));
      emit({ type: 'credentials.revoked', userId: bot.id, tokenHash: null });
    });
    return { bot, token };
  }

  /**
   * Removes the bot from every guild (deleting guilds it owns), kills its token and open sessions,
   * and keeps its row as a tombstone so its old messages still have an author.
   */
  async deleteBot(botId: string): Promise<void> {
    const bot = await this.mustGetBot(botId);
    if (bot.system) throw new ApiError(400, Codes.GeneralError, 'The built-in presence bot cannot be deleted');
    await this.uow.write(async (emit) => {
      for (const guild of await this.guilds.guildsOf(bot.id)) {
        if (guild.ownerId === bot.id) {
          const memberIds = await this.guilds.memberIds(guild.id);
          await this.guilds.deleteGuild(guild.id);
          emit({ type: 'guild.delete', guildId: guild.id, memberIds });
          continue;
        }
        const role = await this.guilds.botRole(guild.id, bot.id);
        await this.guilds.deleteMember(guild.id, bot.id);
        if (role) {
          await this.guilds.deleteRole(role.id);
          emit({ type: 'role.delete', guildId: guild.id, roleId: role.id });
        }
        emit({ type: 'member.leave', guildId: guild.id, userId: bot.id, reason: 'bot_removed' });
      }
      await this.users.markDeleted(bot.id, this.clock.now());
      emit({ type: 'credentials.revoked', userId: bot.id, tokenHash: null });
    });
  }

  async setBotIntents(botId: string, intents: number): Promise<User> {
    await this.mustGetBot(botId);
    await this.uow.write(async (emit) => {
      await this.users.update(botId, { botIntents: intents });
      emit({ type: 'bot.settings_changed', userId: botId });
    });
    // At once on this node too (in a cluster the event comes back through the shared log a moment later).
    this.botCallers.forget(botId);
    return this.mustGet(botId);
  }

  async list(options: { bots: boolean; query?: string; limit?: number; after?: string }): Promise<User[]> {
    return this.users.list({ ...options, limit: options.limit ?? 100 });
  }

  async setAdmin(userId: string, admin: boolean): Promise<User> {
    const user = await this.mustGet(userId);
    if (user.bot) throw new ApiError(400, Codes.GeneralError, 'Bots cannot be instance admins');
    // The event tells every node's token caches (and the person's sessions) that the account changed.
    return this.uow.write(async (emit) => {
      await this.users.update(userId, { admin });
      const changed = await this.mustGet(userId);
      emit({ type: 'user.update', user: changed });
      return changed;
    });
  }

  async setDisabled(userId: string, disabled: boolean): Promise<User> {
    await this.mustGet(userId);
    await this.uow.write(async (emit) => {
      await this.users.update(userId, { disabled });
      if (disabled) {
        await this.sessions.revokeAll(emit, userId, null);
        emit({ type: 'credentials.revoked', userId, tokenHash: null });
      }
    });
    return this.mustGet(userId);
  }

  private requireSession(caller: Caller): User {
    if (caller.kind !== 'session') throw new ApiError(403, Codes.MissingAccess, 'Only a person, signed in, can do this');
    return caller.user;
  }

  private async passwordMatches(userId: string, password: string): Promise<boolean> {
    const hash = await this.users.passwordHash(userId);
    // Accounts without a password (bots) still cost one verify, so the answer takes the same time.
    const ok = await Bun.password.verify(password.slice(0, PASSWORD_MAX), hash ?? (await this.dummy()));
    return ok && hash !== null;
  }

  private async mustGet(userId: string): Promise<User> {
    const user = await this.users.byId(userId);
    if (!user || user.deleted) throw unknown.user();
    return user;
  }

  private async mustGetBot(botId: string): Promise<User> {
    const bot = await this.users.byId(botId);
    if (!bot?.bot || bot.deleted) throw unknown.user();
    return bot;
  }

  private async dummy(): Promise<string> {
    this.dummyHash ??= Bun.password.hash('harmony-dummy-password', { algorithm: 'argon2id' });
    return this.dummyHash;
  }
}
