/**
 * The worker scenarios run natively and instrumented through the DevTools protocol: by the CLI's
 * recorder (tests/browser/workers-cdp.test.ts) and by the extension's "See inside workers"
 * (tests/browser/workers-debugger.test.ts). Each is run on tests/fixtures/workers-cdp/index.html.
 */

/** Each scenario is page script (an async function body), so both runs evaluate the very same text. */
export const SCENARIOS: Record<string, string> = {
  'classic dedicated worker: first line, a port, a nested worker': `
    const w = new Worker('w/classic.js');
    const next = () => new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); setTimeout(() => resolve('no answer'), 5000); });
    const ch = new MessageChannel();
    w.postMessage('port', [ch.port2]);
    const echo = await new Promise((resolve) => { ch.port1.onmessage = (e) => resolve(e.data); ch.port1.postMessage('ping'); setTimeout(() => resolve('no echo'), 5000); });
    let answer = next(); w.postMessage('report'); const report = await answer;
    answer = next(); w.postMessage('nested'); const nested = await answer;
    return { echo, report, nested };`,
  'module dedicated worker: first line of its first import, import.meta.url, a port': `
    const w = new Worker('w/module.mjs', { type: 'module' });
    const ch = new MessageChannel();
    w.postMessage('port', [ch.port2]);
    const echo = await new Promise((resolve) => { ch.port1.onmessage = (e) => resolve(e.data); ch.port1.postMessage('ping'); setTimeout(() => resolve('no echo'), 5000); });
    const report = await new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.postMessage('report'); setTimeout(() => resolve('no answer'), 5000); });
    return { echo, report };`,
  "a cross-origin frame's worker, a blob: worker, a data: worker": `
    const frame = document.createElement('iframe');
    frame.src = CROSS_ORIGIN + '/workers-cdp/frame.html';
    const fromFrame = new Promise((resolve) => { addEventListener('message', (e) => { if (e.data && e.data.frameWorkerEcho) resolve(e.data.frameWorkerEcho); }); setTimeout(() => resolve('no echo'), 8000); });
    document.body.append(frame);
    const once = (w) => new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.onerror = () => resolve('error'); setTimeout(() => resolve('no answer'), 5000); });
    const blobUrl = URL.createObjectURL(new Blob(['const c = new MessageChannel(); c.port1.postMessage(1); const lines = String(new Error("x").stack).split("\\n").length; setTimeout(() => postMessage(self.location.href.slice(0, 5) + lines + Object.getOwnPropertyNames(self).sort().join()), 300)'], { type: 'text/javascript' }));
    const blob = await once(new Worker(blobUrl));
    const data = await once(new Worker('data:text/javascript,postMessage(self.origin + " " + self.location.href.slice(0, 5))'));
    return { frame: await fromFrame, blob, data };`,
  'worker scripts that fail to load, classic and module': `
    const errorOf = (w) => new Promise((resolve) => {
      w.onerror = (e) => resolve({ type: e.type, ctor: e.constructor.name, message: e.message ?? null, filename: e.filename ?? null, lineno: e.lineno ?? null });
      setTimeout(() => resolve('no error event'), 3000);
    });
    return {
      classic: await errorOf(new Worker('w/missing.js')),
      module: await errorOf(new Worker('w/missing.mjs', { type: 'module' })),
      resources: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('missing')),
    };`,
  'a SharedWorker reached from two documents is one worker': `
    const frame = document.createElement('iframe');
    frame.src = 'index.html';
    await new Promise((resolve) => { frame.onload = resolve; document.body.append(frame); });
    const ask = (sw, data) => new Promise((resolve) => { sw.port.onmessage = (e) => resolve(e.data); sw.port.postMessage(data); setTimeout(() => resolve('no answer'), 5000); });
    const fromTop = new SharedWorker('w/shared.js', { name: 'two' });
    const fromFrame = new frame.contentWindow.SharedWorker('w/shared.js', { name: 'two' });
    const echoTop = await ask(fromTop, 'top');
    const echoFrame = await ask(fromFrame, 'frame');
    const report = await ask(fromFrame, 'report');
    return { echoTop, echoFrame, report };`,
  'a service worker: its first line, clients.matchAll(), message order, startMessages()': `
    const registration = await navigator.serviceWorker.register('sw.js');
    await navigator.serviceWorker.ready;
    const active = registration.active;
    const received = [];
    navigator.serviceWorker.addEventListener('message', (e) => received.push(e.data));
    navigator.serviceWorker.startMessages();
    for (let i = 0; i < 5; i++) active.postMessage(i);
    active.postMessage('report');
    const until = Date.now() + 5000;
    while (received.length < 6 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const ch = new MessageChannel();
    active.postMessage('port', [ch.port2]);
    const echo = await new Promise((resolve) => { ch.port1.onmessage = (e) => resolve(e.data); ch.port1.postMessage('ping'); setTimeout(() => resolve('no echo'), 5000); });
    return { received, echo };`,
  'a service worker hands the page a port (Client#postMessage, the client message queue)': `
    await navigator.serviceWorker.register('sw.js');
    const registration = await navigator.serviceWorker.ready;
    const gift = new Promise((resolve) => { navigator.serviceWorker.onmessage = (e) => resolve({ data: e.data, ports: e.ports.length, port: e.ports[0] }); setTimeout(() => resolve('no answer'), 5000); });
    registration.active.postMessage('give');
    const { data, ports, port } = await gift;
    const echo = await new Promise((resolve) => { port.onmessage = (e) => resolve(e.data); port.postMessage('thanks'); setTimeout(() => resolve('no echo'), 5000); });
    return { data, ports, echo };`,
};

/** A scenario as one expression to evaluate in the page; `crossOrigin` is the fixture server's second origin. */
export const scenarioScript = (body: string, crossOrigin: string) =>
  `(async () => { const CROSS_ORIGIN = ${JSON.stringify(crossOrigin)};${body}\n})()`;
