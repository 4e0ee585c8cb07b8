// Measures how long /docs takes to render in Chromium: `bun test/web/api-reference/measure-render.ts [runs]`.
// Prints, per run, the milliseconds from navigation until the tag list is drawn, until an operation can be opened
// (the Instance tag's GET /health, opening its tag first when tags start collapsed), the main thread's long tasks
// in that time, and how many elements the page holds. Not a test: the numbers depend on the machine's load.
import { startServer } from '../../support/test-server.ts';
import { launchChromium, openPage } from '../support/browser.ts';

const runs = Number(process.argv[2] ?? 3);
const server = await startServer({ rateLimits: false });
const browser = await launchChromium();
try {
  for (let run = 1; run <= runs; run++) {
    const { page, context } = await openPage(browser);
    await page.addInitScript(() => {
      const w = window as unknown as { __long: number };
      w.__long = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__long += entry.duration;
      }).observe({ type: 'longtask', buffered: true });
    });
    const started = performance.now();
    await page.goto(`${server.url}/docs`);
    await page.locator('.opblock-tag').first().waitFor({ timeout: 240_000 });
    const tags = performance.now() - started;
    const health = page.locator('#operations-Instance-getHealth');
    if (!(await health.isVisible())) await page.locator('#operations-tag-Instance').click();
    await health.locator('.opblock-summary-control').click();
    await health.getByRole('button', { name: 'Try it out' }).waitFor({ timeout: 240_000 });
    const usable = performance.now() - started;
    const stats = await page.evaluate(() => ({
      longTasks: Math.round((window as unknown as { __long: number }).__long),
      elements: document.getElementsByTagName('*').length,
    }));
    console.log(
      `run ${run}: tags drawn ${Math.round(tags)} ms, GET /health open ${Math.round(usable)} ms, long tasks ${stats.longTasks} ms, ${stats.elements} elements`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
