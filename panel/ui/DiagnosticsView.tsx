/** What the model found wrong, most severe first, each with a fix hint and links. */
import type { DiagnosticCode, Severity } from '../model/types.ts';
import { visibleText } from '../pageText.ts';
import { FirstFrame } from './CallSiteView.tsx';
import { contextName } from './labels.ts';
import { PortButton } from './PortButton.tsx';
import { usePanel } from './storeContext.ts';
import { GLOSSARY } from './glossary.ts';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const ICON: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };
/** The spec's word a diagnostic's message uses, explained where it is shown. */
const EXPLAINED: Partial<Record<DiagnosticCode, string>> = {
  'client-message-queue-never-started': GLOSSARY.clientMessageQueue,
};

export function DiagnosticsView() {
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const list = [...model.diagnostics()].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.time - b.time);
  const withheld = <WithheldNotice count={model.stats.inferred['withheld-diagnostic'] ?? 0} />;
  if (list.length === 0) {
    return (
      <>
        <p className="empty">No problems found in the channels recorded so far.</p>
        {withheld}
      </>
    );
  }
  return (
    <>
      {withheld}
      <ul className="diagnostics" aria-label="Diagnostics">
        {list.map((d) => (
          <li key={d.id} className={`diag sev-${d.severity}`}>
            <span className="sev" role="img" aria-label={d.severity}>
              {ICON[d.severity]}
            </span>
            <div>
              <p className="diag-message page-text" title={EXPLAINED[d.code]}>
                {visibleText(d.message)}
                {d.count > 1 ? <span className="badge">{`×${d.count}`}</span> : null}
              </p>
              <p className="diag-hint">{d.hint}</p>
              <p className="diag-links">
                <span className="code">{d.code}</span>
                {d.port ? (
                  <>
                    {' '}
                    · port <PortButton id={d.port} />
                  </>
                ) : null}
                {d.context ? ` · ${contextName(model, d.context)}` : null}
                {d.site ? (
                  <>
                    {' '}
                    · <FirstFrame site={d.site} />
                  </>
                ) : null}
              </p>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Diagnostics the model did not raise because they would rest on a transfer two readings fit (docs/model-inference.md, rule 6). */
export function WithheldNotice({ count }: { count: number }) {
  if (count === 0) return null;
  const what = count === 1 ? '1 possible problem was' : `${count.toLocaleString('en-US')} possible problems were`;
  return (
    <p className="diag-withheld muted" role="note">
      {`${what} not reported: each rests on a port transfer that is unknown — two readings fit (see Transfers in Channels).`}
    </p>
  );
}
