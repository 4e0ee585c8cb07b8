// What the server writes itself: "X joined the server" (a join message, Discord's USER_JOIN), worded with one of
// Discord's join phrasings picked from the message's id (so every viewer sees the same one), and the role
// colour of a message's author.
import type { ComponentChildren } from 'preact';
import { roleColour } from '../lib/people.ts';
import type { Message } from '../lib/wire.ts';
import { app } from '../state/app-state.ts';
import { useSelector } from '../state/store.ts';

/** Discord's welcome lines; `{}` is the new member's name. */
const JOIN_PHRASES = [
  '{} joined the party.',
  '{} is here.',
  'Welcome, {}. We hope you brought pizza.',
  'A wild {} appeared.',
  '{} just landed.',
  '{} just slid into the server.',
  '{} just showed up!',
  'Welcome {}. Say hi!',
  '{} hopped into the server.',
  'Everyone welcome {}!',
  "Glad you're here, {}.",
  'Good to see you, {}.',
  'Yay you made it, {}!',
];

/** The phrasing for a join message (Discord picks it from the message's timestamp the same way). */
export function joinPhrase(messageId: string, name: (text: string) => ComponentChildren, text: string): ComponentChildren {
  const ms = Number(BigInt(messageId) >> 22n);
  const phrase = JOIN_PHRASES[ms % JOIN_PHRASES.length]!;
  const [before, after] = phrase.split('{}');
  return (
    <>
      {before}
      {name(text)}
      {after}
    </>
  );
}

/** The author's highest coloured role in the message's guild (null in DMs, for webhooks, or without one). */
export function useAuthorColour(message: Message): string | null {
  return useSelector(app, (s) => {
    const guildId = message.guild_id;
    if (!guildId || message.webhook_id) return null;
    return roleColour(s.details[guildId]?.roles ?? [], s.members[guildId]?.[message.author.id]);
  });
}
