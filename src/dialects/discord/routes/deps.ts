// What every discord route module is built from: the shared route deps, one presenter, and the OpenAPI
// details of the version being mounted (/api/v9 repeats /api/v10, so only v10 is documented).
import type { RouteDeps } from '../../../http/guard.ts';
import type { Presenter } from '../presenter.ts';

export type DiscordRouteDeps = RouteDeps & { present: Presenter; detail: { tags: string[]; hide?: boolean } };
