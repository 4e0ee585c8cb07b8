// The peer address of a request, recorded by the server before routing (a header could be forged).
const addresses = new WeakMap<Request, string>();

export function rememberAddress(request: Request, address: string | undefined): void {
  if (address) addresses.set(request, address);
}

export function clientAddress(request: Request): string {
  return addresses.get(request) ?? 'unknown';
}
