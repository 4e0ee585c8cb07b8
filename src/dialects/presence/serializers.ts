// The seed's wire shape for GET /user/:id: {presence: {userId, status, global_name, server_name, avatar,
// spotifyActivity}, KV, github}. Field names are the seed's own (camelCase and snake_case mixed, as written).
import type { PresenceSnapshot } from '../../domain/presence/presence-directory.ts';
import { harmySpotifyActivity } from '../../domain/presence/spotify.ts';
import type { GitHubProfile } from '../../integrations/github-client.ts';

export function seedPresence(s: PresenceSnapshot) {
  return {
    presence: {
      userId: s.user.id,
      status: s.presence.status,
      global_name: s.user.globalName,
      server_name: s.serverName,
      avatar: s.user.avatar,
      spotifyActivity: harmySpotifyActivity(s.presence.activities),
    },
    KV: s.kv,
    github: s.github ? seedGithub(s.github) : null,
  };
}

/** Field by field, so nothing but the seed's eight fields ever leaves, whatever was stored. */
export function seedGithub(g: GitHubProfile) {
  return {
    id: g.id,
    username: g.username,
    avatar_url: g.avatar_url,
    url: g.url,
    company: g.company,
    blog: g.blog,
    bio: g.bio,
    public_repos: g.public_repos,
  };
}
