/** Record, clear, preserve log, filter, export/import and settings — like DevTools' Network toolbar. */
import { useRef, useState } from 'react';
import { download, readTraceText, traceBlob, traceFileName, TraceLoadError } from '../source/traceFile.ts';
import { SettingsDialog } from './SettingsDialog.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';

const CLEAR_TITLE =
  'Clear the messages shown (contexts, channels, ports and messages still queued stay: the page goes on using them)';
const EXPORT_TITLE =
  'Export trace (JSON): the whole recording since the page loaded, messages cleared from view included';
const FILTER_PLACEHOLDER = 'Filter  (data.type:ping larger-than:1k /regex/ port:p3 context:worker state:queued -word)';
const FILTER_TITLE =
  'Words match the data; key:value narrows: port: channel: context: state: has: reason: library: id: ' +
  'larger-than: data.<path>:, /regex/ (ignoring case); - negates';

export function Toolbar() {
  const store = usePanelStore();
  const paused = usePanel((s) => s.paused);
  const preserveLog = usePanel((s) => s.preserveLog);
  const filterText = usePanel((s) => s.filterText);
  const filterError = usePanel((s) => s.filterError);
  const standalone = usePanel((s) => s.connection === 'standalone');
  const traceName = usePanel((s) => s.traceName);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const onExport = () => {
    const { model, pageUrl, relay } = store.getState();
    download(traceBlob(model, pageUrl, relay), traceFileName());
  };
  const onImport = async (file: File | undefined) => {
    if (!file) return;
    try {
      const trace = readTraceText(await file.text(), file.name);
      store.getState().loadTrace(trace.facts, trace.name);
    } catch (e) {
      if (!(e instanceof TraceLoadError)) throw e;
      store.getState().notify({ kind: 'error', text: e.message });
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Portscope">
      {standalone ? null : traceName !== null ? (
        <button
          type="button"
          className="tool record"
          title="Close the imported trace and show the live recording again (it went on while the trace was shown)"
          onClick={() => store.getState().showLive()}
        >
          <span aria-hidden="true" className="dot" />
          <span className="label">Back to live</span>
        </button>
      ) : (
        <button
          type="button"
          className={`tool record${paused ? '' : ' on'}`}
          aria-pressed={!paused}
          title={
            paused
              ? 'Resume: apply the facts held while paused'
              : 'Pause: freeze the picture; facts keep arriving and are applied on resume'
          }
          onClick={() => store.getState().setPaused(!paused)}
        >
          <span aria-hidden="true" className="dot" />
          <span className="label">{paused ? 'Paused' : 'Recording'}</span>
        </button>
      )}
      <button
        type="button"
        className="tool"
        title={traceName !== null ? 'Close the imported trace' : CLEAR_TITLE}
        onClick={() => store.getState().clear()}
      >
        <span aria-hidden="true">⊘</span> <span className="label">Clear</span>
      </button>
      {standalone ? null : (
        <label className="tool check" title="Keep the log when the page reloads or navigates (a mark shows where)">
          <input
            type="checkbox"
            checked={preserveLog}
            onChange={(e) => store.getState().setPreserveLog(e.currentTarget.checked)}
          />{' '}
          Preserve log
        </label>
      )}
      <span className="sep" />
      <div className="filter">
        <input
          type="search"
          aria-label="Filter messages"
          aria-invalid={filterError ? true : undefined}
          aria-describedby={filterError ? 'filter-error' : undefined}
          placeholder={FILTER_PLACEHOLDER}
          title={FILTER_TITLE}
          value={filterText}
          spellCheck={false}
          onFocus={() => store.getState().prepareSearch()}
          onChange={(e) => store.getState().setFilter(e.currentTarget.value)}
        />
        {filterError ? (
          <span id="filter-error" className="filter-error" role="alert">
            {filterError}
          </span>
        ) : null}
      </div>
      <span className="sep" />
      <button type="button" className="tool io" title={EXPORT_TITLE} onClick={onExport}>
        <span aria-hidden="true">↓</span> <span className="label">Export</span>
      </button>
      <button type="button" className="tool io" title="Import trace" onClick={() => fileInput.current?.click()}>
        <span aria-hidden="true">↑</span> <span className="label">Import</span>
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        className="hidden-file"
        aria-label="Trace file to import"
        tabIndex={-1}
        onChange={(e) => void onImport(e.currentTarget.files?.[0])}
      />
      <button
        type="button"
        className="tool"
        title="Settings"
        aria-haspopup="dialog"
        aria-expanded={settingsOpen}
        onClick={() => setSettingsOpen(!settingsOpen)}
      >
        <span aria-hidden="true">⚙</span> <span className="label">Settings</span>
      </button>
      {traceName ? <span className="trace-name" title={traceName}>{`trace: ${traceName}`}</span> : null}
      {settingsOpen ? <SettingsDialog onClose={() => setSettingsOpen(false)} /> : null}
    </div>
  );
}
