// The entity types of the domain, in one leaf module: they import nothing but each other (and constants), so the
// domain, its repository ports (../ports/) and every store implementation can share them without an import cycle.
export * from './attachment.ts';
export * from './audit.ts';
export * from './channel.ts';
export * from './component.ts';
export * from './embed.ts';
export * from './emoji.ts';
export * from './guild.ts';
export * from './image.ts';
export * from './invite.ts';
export * from './message.ts';
export * from './presence.ts';
export * from './read-state.ts';
export * from './session.ts';
export * from './user.ts';
export * from './webhook.ts';
