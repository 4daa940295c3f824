/** The panel: toolbar, banners, view tabs, the current view, the status bar. */
import type { KeyboardEvent } from 'react';
import type { View } from '../store.ts';
import { Banner } from './Banner.tsx';
import { ChannelsView } from './ChannelsView.tsx';
import { DiagnosticsView } from './DiagnosticsView.tsx';
import { MessagesView } from './MessagesView.tsx';
import { StatusBar } from './StatusBar.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';
import { TimelineView } from './TimelineView.tsx';
import { Toolbar } from './Toolbar.tsx';
import { SeeInsideWorkersOffer } from './SeeInsideWorkers.tsx';

const VIEWS: { id: View; label: string }[] = [
  { id: 'channels', label: 'Channels' },
  { id: 'messages', label: 'Messages' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'diagnostics', label: 'Diagnostics' },
];

function Tabs() {
  const store = usePanelStore();
  const view = usePanel((s) => s.view);
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const problems = model.diagnostics().length;
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = VIEWS.findIndex((v) => v.id === view);
    const next = VIEWS[(i + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    store.getState().setView(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <div role="tablist" aria-label="Views" className="tabs" onKeyDown={onKey}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          id={`tab-${v.id}`}
          type="button"
          role="tab"
          aria-selected={view === v.id}
          aria-controls="view"
          tabIndex={view === v.id ? 0 : -1}
          className="tab"
          onClick={() => store.getState().setView(v.id)}
        >
          {v.label}
          {v.id === 'diagnostics' && problems ? <span className="badge warn">{problems}</span> : null}
          {v.id === 'messages' && model.messages.length ? (
            <span className="badge">{model.messages.length.toLocaleString('en-US')}</span>
          ) : null}
        </button>
      ))}
    </div>
  );
}

/** A loaded trace that holds no channel, port or message: say so, never "no trace" or "reload". */
function EmptyTrace({ name }: { name: string }) {
  const model = usePanel((s) => s.model);
  const contexts = model.contexts.size;
  return (
    <div className="empty">
      <h2>Nothing to show in this trace</h2>
      <p>
        <code>{name}</code> recorded no <code>MessageChannel</code>, port or message
        {contexts ? ` (${contexts.toLocaleString('en-US')} ${contexts === 1 ? 'context' : 'contexts'})` : ''}.
      </p>
    </div>
  );
}

function Empty() {
  const connection = usePanel((s) => s.connection);
  const instrumented = usePanel((s) => s.instrumented);
  const traceName = usePanel((s) => s.traceName);
  // An imported or viewed trace is shown instead of the live page: the live page's hints would mislead.
  if (traceName !== null) return <EmptyTrace name={traceName} />;
  if (connection === 'standalone') {
    return (
      <div className="empty">
        <h2>No trace loaded</h2>
        <p>
          Import a Portscope trace (toolbar), or open this page with <code>?trace=&lt;url of a trace.json&gt;</code>.
        </p>
      </div>
    );
  }
  if (connection === 'connecting')
    return (
      <div className="empty">
        <p>Connecting to the Portscope background…</p>
      </div>
    );
  if (instrumented === false)
    return (
      <div className="empty">
        <p>Nothing recorded: reload the page to start.</p>
      </div>
    );
  return (
    <div className="empty">
      <h2>No MessageChannel yet</h2>
      <p>
        Portscope shows every <code>MessageChannel</code> and <code>MessagePort</code> this page and its frames and
        workers create, from now on.
      </p>
      <p className="muted">
        Channels created before this page loaded with Portscope enabled are not visible: reload to see everything.
      </p>
      <SeeInsideWorkersOffer />
    </div>
  );
}

function CurrentView() {
  const view = usePanel((s) => s.view);
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  if (model.channels.size === 0 && model.ports.size === 0 && model.messages.length === 0 && view !== 'diagnostics')
    return <Empty />;
  switch (view) {
    case 'channels':
      return <ChannelsView />;
    case 'messages':
      return <MessagesView />;
    case 'timeline':
      return <TimelineView />;
    case 'diagnostics':
      return <DiagnosticsView />;
  }
}

export function App() {
  const view = usePanel((s) => s.view);
  return (
    <div className="app">
      <Toolbar />
      <Banner />
      <Tabs />
      <main id="view" role="tabpanel" aria-labelledby={`tab-${view}`} className="view">
        <CurrentView />
      </main>
      <StatusBar />
    </div>
  );
}
