// axe-core, the accessibility engine browsers' own audits use, run inside the page under test: the web tests
// call `expectAccessible(page, label)` on every screen and fail on any serious or critical WCAG 2 A/AA violation,
// naming the rule and every offending element so the fix is obvious from the failure alone.
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const AXE_SOURCE = join(import.meta.dir, '..', '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
let axeSource: string | undefined;

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: the rule tags axe files its checks under. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type Violation = { id: string; impact: string; help: string; targets: string[] };

/** The serious and critical WCAG A/AA violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  axeSource ??= await Bun.file(AXE_SOURCE).text();
  // Evaluated through the DevTools protocol rather than a <script> tag, which the app's CSP would refuse.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<any> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return (result.violations as any[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id as string,
        impact: v.impact as string,
        help: v.help as string,
        targets: (v.nodes as any[]).map((n) => `${(n.target as string[]).join(' ')}  ${String(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
      }));
  }, WCAG_AA);
}

/** Fails listing every serious or critical violation (rule, help, each target selector) on the screen called `label`. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await seriousViolations(page);
  if (violations.length === 0) return;
  const lines = violations.flatMap((v) => [`  ${v.impact} ${v.id}: ${v.help}`, ...v.targets.map((t) => `    - ${t}`)]);
  throw new Error(`${label}: ${violations.length} serious/critical accessibility violation(s)\n${lines.join('\n')}`);
}
