// Most of Discord's writes answer 204 with no body once they are done: one handler shape for all of them,
// so a route states only what it does with the caller and its path parameters.
import type { Caller } from '../../../domain/users.ts';

/** The part of Elysia's handler context a 204 route reads and writes. */
type NoContentContext<Params> = { caller: Caller; params: Params; set: { status?: number | string } };

/** A handler that runs `act` as the caller, then answers 204 No Content. */
export function noContent<Params>(act: (params: Params, callerId: string) => Promise<unknown>) {
  return async ({ caller, params, set }: NoContentContext<Params>): Promise<void> => {
    await act(params, caller.user.id);
    set.status = 204;
  };
}
