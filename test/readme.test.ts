// The README is the user's manual: it must list every setting the binary understands.
import { describe, expect, it } from 'bun:test';
import { SETTINGS } from '../src/config.ts';

describe('README', () => {
  const readme = Bun.file(new URL('../README.md', import.meta.url)).text();

  it('documents every setting with its flag and environment variable', async () => {
    const text = await readme;
    for (const setting of SETTINGS) {
      expect(text).toContain(`\`${setting.flag}\``);
      expect(text).toContain(`\`${setting.env}\``);
    }
  });

  it('has a Quick start with the install-and-start and the test commands', async () => {
    const text = await readme;
    expect(text).toContain('## Quick start');
    expect(text).toContain('npm install -g bun@1.4.4 && bun install && bun start');
    expect(text).toContain('bun run test');
  });
});
