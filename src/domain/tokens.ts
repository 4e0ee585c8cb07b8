// Bearer secrets (session, bot and presence API tokens): 32 random bytes, shown once, stored and
// looked up only as a SHA-256 digest. High-entropy secrets need no slow hash.

/** `<base64url user id>.<base64url 32 random bytes>`: the prefix tells a human whose token it is. */
export function newToken(userId: string): string {
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  return `${Buffer.from(userId).toString('base64url')}.${secret}`;
}

export function tokenDigest(token: string): Uint8Array {
  return new Bun.CryptoHasher('sha256').update(token).digest();
}

export function digestHex(digest: Uint8Array): string {
  return Buffer.from(digest).toString('hex');
}
