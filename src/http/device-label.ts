// A short, human name for the software behind a User-Agent header ("Firefox on Linux", "discord.py", "curl"), shown
// beside each session so a person can tell their sessions apart. It is a hint, never a security decision.

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\//, 'Firefox'],
  [/(?:\b|Headless)(?:Chrome|Chromium|CriOS)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/\bpython-requests\//, 'Python requests'],
  [/\baiohttp\b/i, 'Python aiohttp'],
  [/\bHarmonyClient\b|\bharmony-sdk\b/i, 'Harmony SDK'],
  [/\bBun\//, 'Bun'],
  [/\bnode\b|\bundici\b/i, 'Node.js'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

const first = (table: [RegExp, string][], text: string) => table.find(([pattern]) => pattern.test(text))?.[1] ?? null;

/** "Browser on System", either part alone, or null for an absent or unknown agent. */
export function deviceLabel(userAgent: string | null | undefined): string | null {
  const agent = (userAgent ?? '').slice(0, 512);
  const browser = first(BROWSERS, agent);
  const system = first(SYSTEMS, agent);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system;
}
