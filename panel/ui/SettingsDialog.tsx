/** Buffer sizes and runtime switches; runtime switches go to every frame via the background. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SETTING_BOUNDS, SettingsError } from '../store.ts';
import { usePanel, usePanelStore } from './storeContext.ts';
import { useRecordWhileClosed } from './recordWhileClosed.ts';
import { DEBUGGER_BAR_TEXT, SOURCES_PANEL_TEXT, useSeeInsideWorkers } from './SeeInsideWorkers.tsx';
import { PreviewSettings, previewDraftBounds, previewDraftOf } from './PreviewSettings.tsx';

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const store = usePanelStore();
  const settings = usePanel((s) => s.settings);
  const standalone = usePanel((s) => s.connection === 'standalone');
  const [draft, setDraft] = useState({
    messageCap: String(settings.messageCap),
    factLogCap: String(settings.factLogCap),
    captureStacks: settings.captureStacks,
    inWorker: settings.inWorker,
  });
  const [previewDraft, setPreviewDraft] = useState(() => previewDraftOf(settings.preview));
  const [error, setError] = useState<string | null>(null);
  const recordWhileClosed = useRecordWhileClosed();
  // Untouched (null) until the user clicks it, so a slow storage read never overwrites the stored value.
  const [recordDraft, setRecordDraft] = useState<boolean | null>(null);
  const seeInside = useSeeInsideWorkers();
  const [seeInsideDraft, setSeeInsideDraft] = useState<boolean | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    try {
      store.getState().setSettings({
        messageCap: Number(draft.messageCap),
        factLogCap: Number(draft.factLogCap),
        captureStacks: draft.captureStacks,
        inWorker: draft.inWorker,
        preview: previewDraftBounds(previewDraft),
      });
      if (recordDraft !== null && recordDraft !== recordWhileClosed.value) recordWhileClosed.save(recordDraft);
      // Here, in the submit of a click: Chrome asks for the debugger permission only on a user gesture.
      if (seeInsideDraft !== null && seeInsideDraft !== seeInside.value) seeInside.set(seeInsideDraft);
      onClose();
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      setError(err.message);
    }
  };

  return (
    <div
      className="dialog"
      role="dialog"
      aria-modal="false"
      aria-label="Settings"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <form onSubmit={submit}>
        <label>
          Messages kept (bodies)
          <input
            ref={first}
            type="number"
            min={SETTING_BOUNDS.messageCap[0]}
            max={SETTING_BOUNDS.messageCap[1]}
            value={draft.messageCap}
            onChange={(e) => setDraft({ ...draft, messageCap: e.currentTarget.value })}
          />
        </label>
        <label>
          Facts kept for export
          <input
            type="number"
            min={SETTING_BOUNDS.factLogCap[0]}
            max={SETTING_BOUNDS.factLogCap[1]}
            value={draft.factLogCap}
            onChange={(e) => setDraft({ ...draft, factLogCap: e.currentTarget.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.captureStacks}
            disabled={standalone}
            onChange={(e) => setDraft({ ...draft, captureStacks: e.currentTarget.checked })}
          />
          Capture a call stack for every post (slower pages)
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.inWorker}
            disabled={standalone}
            onChange={(e) => setDraft({ ...draft, inWorker: e.currentTarget.checked })}
          />
          Instrument inside workers (for workers created after this)
        </label>
        {seeInside.available ? (
          <div className="setting">
            <label className="check">
              <input
                type="checkbox"
                name="seeInsideWorkers"
                checked={seeInsideDraft ?? seeInside.value ?? false}
                disabled={seeInside.value === null}
                onChange={(e) => setSeeInsideDraft(e.currentTarget.checked)}
              />
              See inside workers (this tab; asks for Chrome's debugger permission)
            </label>
            <p
              className="muted setting-note"
              id="see-inside-workers-note"
              title={`${DEBUGGER_BAR_TEXT} Shared workers stay outside; a service worker is seen from inside unless DevTools let it run before Portscope's first-line pause held (then outside, never in part). ${SOURCES_PANEL_TEXT}`}
            >
              While it is on, Chrome shows "Portscope started debugging this browser": Portscope runs inside the tab's
              dedicated workers through Chrome's debugger.
              {seeInside.refused ? ' Chrome did not grant the permission.' : ''}
            </p>
          </div>
        ) : null}
        <PreviewSettings draft={previewDraft} onChange={setPreviewDraft} disabled={standalone} />
        <label
          className="check"
          title="Without DevTools open on a tab, Portscope only counts its messages (channels, ports and queue depths stay exact); with this on, every tab records them in full, at a cost to pages."
        >
          <input
            type="checkbox"
            name="recordWhileClosed"
            checked={recordDraft ?? recordWhileClosed.value ?? false}
            disabled={recordWhileClosed.value === null}
            onChange={(e) => setRecordDraft(e.currentTarget.checked)}
          />
          Record while DevTools is closed (all tabs; slower pages)
        </label>
        {error ? (
          <p className="filter-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-buttons">
          <button type="submit">Apply</button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
