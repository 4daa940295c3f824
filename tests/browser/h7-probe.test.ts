import { it } from 'vitest';
import { launchFirefox } from '../support/firefox.ts';
it('probe', async () => {
  const ff = await launchFirefox({ extension: true });
  try {
    const id = await ff.background!(`browser.tabs.create({ url: browser.runtime.getURL('panel/index.html') }).then((t) => String(t.id))`);
    console.log('tab', id);
    await new Promise((r) => setTimeout(r, 2000));
    console.log('pages', (await ff.browser.pages()).map((p) => p.url()));
    console.log('targets', ff.browser.targets().map((t) => t.type() + ' ' + t.url()));
    console.log('tabs', await ff.background!(`browser.tabs.query({}).then((ts) => JSON.stringify(ts.map((t) => [t.id, t.url, t.status])))`));
  } finally { await ff.close(); }
}, 60000);
