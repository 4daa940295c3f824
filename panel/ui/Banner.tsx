/** One line above the views for states the user must know: disconnected, not instrumented, errors. */
import { CountedNotice } from './CountedNotice.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';

function reloadInspectedPage() {
  chrome.devtools?.inspectedWindow?.reload({});
}

export function Banner() {
  const store = usePanelStore();
  const connection = usePanel((s) => s.connection);
  const attempt = usePanel((s) => s.reconnectAttempt);
  const instrumented = usePanel((s) => s.instrumented);
  const notice = usePanel((s) => s.notice);
  const lastError = usePanel((s) => s.relay.lastError);
  return (
    <>
      {connection === 'reconnecting' || connection === 'disconnected' ? (
        <div className="banner warn" role="status">
          {connection === 'reconnecting'
            ? `Disconnected from the Portscope background — reconnecting (attempt ${attempt})…`
            : 'Disconnected from the Portscope background.'}
        </div>
      ) : null}
      {instrumented === false ? (
        <div className="banner warn" role="alert">
          Portscope is not running in this page, so nothing on it is recorded: it was loaded before Portscope was
          enabled, or it is a page extensions may not script (browser pages, data: URLs).{' '}
          <button type="button" className="link" onClick={reloadInspectedPage}>
            Reload the page
          </button>{' '}
          to start recording.
        </div>
      ) : null}
      {notice ? (
        <div
          className={`banner ${notice.kind === 'error' ? 'error' : 'info'}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          {notice.text}{' '}
          <button type="button" className="link" onClick={() => store.getState().notify(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {lastError ? (
        <div className="banner info" role="status">{`The background rejected malformed data: ${lastError}`}</div>
      ) : null}
      <CountedNotice />
    </>
  );
}
