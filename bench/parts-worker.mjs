// The page side of the idle benches' parts (bench/idle-parts.mjs, idle-profile.mjs): one worker
// and two channels whose peers it holds, set up in the page before a part is measured.

/**
 * In the page: a worker holding the peers of `answer` (it posts back as many replies or 8-byte
 * buffers as asked) and `sink` (it drops what comes); on its global it drops 'drop' and answers
 * `{carrier: n}` with n replies.
 */
export async function partsSetUp() {
  const source = `onmessage = (e) => {
    if (e.data === 'drop') return;
    if (e.data && e.data.carrier) {
      for (let i = 0; i < e.data.carrier; i++) postMessage({ id: i, result: i + 1 });
      return;
    }
    const [answer, sink] = e.ports;
    sink.onmessage = () => {};
    answer.onmessage = (m) => {
      const { n, transfer } = m.data;
      if (transfer) for (let i = 0; i < n; i++) { const b = new ArrayBuffer(8); answer.postMessage(b, [b]); }
      else for (let i = 0; i < n; i++) answer.postMessage({ id: i, result: i + 1 });
    };
    postMessage('ready');
  };`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  const answer = new MessageChannel();
  const sink = new MessageChannel();
  worker.postMessage('serve', [answer.port2, sink.port2]);
  await new Promise((ok) => {
    worker.onmessage = ok;
  });
  globalThis.partsState = { answer: answer.port1, sink: sink.port1, worker };
}
