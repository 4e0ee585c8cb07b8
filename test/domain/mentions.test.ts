// Mention parsing: <@id> and <@!id> become user ids (once each, in order); @everyone and @here are flagged.
// Whether they count (membership, mention_everyone) is the message service's business, tested end to end.
import { describe, expect, it } from 'bun:test';
import { parseMentions } from '../../src/domain/mentions.ts';

const A = '1300000000000000001';
const B = '1300000000000000002';

describe('parseMentions', () => {
  it('finds <@id> and <@!id> (nickname form) user mentions', () => {
    expect(parseMentions(`hi <@${A}> and <@!${B}>`)).toEqual({ userIds: [A, B], everyone: false });
  });

  it('lists each user once, in order of first appearance', () => {
    expect(parseMentions(`<@${B}> <@${A}> <@!${B}> <@${A}>`).userIds).toEqual([B, A]);
  });

  it('finds mentions without spaces around them', () => {
    expect(parseMentions(`x<@${A}><@${B}>y`).userIds).toEqual([A, B]);
  });

  it.each([
    [`<@&${A}>`, 'a role mention'],
    [`<#${A}>`, 'a channel mention'],
    [`<@${A}`, 'an unclosed mention'],
    [`<@ ${A}>`, 'a space inside'],
    ['<@>', 'no id'],
    ['<@abc>', 'letters'],
    ['<@123456789012345678901>', '21 digits'],
    ['<@99999999999999999999>', 'an id above 2^64 - 1'],
    [`@${A}`, 'a bare @id'],
  ])('ignores %p (%s)', (content) => {
    expect(parseMentions(content).userIds).toEqual([]);
  });

  it.each(['@everyone', 'hey @everyone!', '@here', 'ping @here.', '(@everyone)'])('flags %p as an @everyone mention', (content) => {
    expect(parseMentions(content).everyone).toBe(true);
  });

  it.each(['everyone', '@everyones', '@hereafter', '@Everyone', 'every @ one'])('does not flag %p', (content) => {
    expect(parseMentions(content).everyone).toBe(false);
  });

  it('handles a 4000-character message full of mentions', () => {
    const ids = Array.from({ length: 180 }, (_, i) => (1300000000000000000n + BigInt(i)).toString());
    const content = ids.map((id) => `<@${id}>`).join('');
    expect(content.length).toBeLessThanOrEqual(4000);
    expect(parseMentions(content).userIds).toEqual(ids);
  });
});
