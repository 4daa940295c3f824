/** Says, once per log, that some messages were only counted, why, and how to record them. */
import { useState } from 'react';
import { anyCounted, countedParts, countedTotals } from './counted.ts';
import { usePanel } from './storeContext.ts';

function reloadInspectedPage() {
  chrome.devtools?.inspectedWindow?.reload({});
}

export function CountedNotice() {
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const standalone = usePanel((s) => s.connection === 'standalone');
  const [dismissed, setDismissed] = useState(false);
  const totals = countedTotals(model);
  if (dismissed || !anyCounted(totals)) return null;
  return (
    <div className="banner info" role="status" data-testid="counted-notice">
      {`Some messages were counted, not recorded (${countedParts(totals)}): DevTools was closed on this tab when they were sent, so Portscope kept only how many there were — no data, call stack or timing. `}
      {standalone ? (
        'To record them, record with DevTools open on the tab, or with "Record while DevTools is closed" turned on in the settings. '
      ) : (
        <>
          To record them,{' '}
          <button type="button" className="link" onClick={reloadInspectedPage}>
            reload the page
          </button>{' '}
          with DevTools open, or turn on "Record while DevTools is closed" in the settings.{' '}
        </>
      )}
      <button type="button" className="link" onClick={() => setDismissed(true)}>
        Dismiss
      </button>
    </div>
  );
}
