/**
 * A captured call site: each stack line as a source link that DevTools opens in Sources
 * (`panels.openResource`, 0-based line); plain text where there is no DevTools (standalone
 * viewer) or the URL is not a page source.
 */
import type { CallSite } from '../../protocol/facts.ts';
import { isOpenable, parseFrame, shortUrl, type StackFrame } from '../stackFrames.ts';
import { visibleText } from '../pageText.ts';

function openResource(): ((url: string, line: number) => void) | null {
  const panels = typeof chrome !== 'undefined' ? chrome.devtools?.panels : undefined;
  if (!panels || typeof panels.openResource !== 'function') return null;
  return (url, line) => panels.openResource(url, line, () => {});
}

export function SourceLink({ frame }: { frame: StackFrame }) {
  const open = openResource();
  const text = `${shortUrl(frame.url)}:${frame.line}`;
  if (!open || !isOpenable(frame.url))
    return (
      <span className="src" title={frame.url}>
        {text}
      </span>
    );
  return (
    <button
      type="button"
      className="link src"
      title={`Open ${frame.url}:${frame.line}:${frame.column} in Sources`}
      onClick={() => open(frame.url, frame.line - 1)}
    >
      {text}
    </button>
  );
}

/** The first page frame of a call site, as a link (table cells, diagnostics). */
export function FirstFrame({ site }: { site: CallSite | undefined }) {
  const frame = site?.stack.map(parseFrame).find((f) => f !== null);
  return frame ? <SourceLink frame={frame} /> : null;
}

export function CallSiteView({ site, empty }: { site: CallSite | undefined; empty: string }) {
  if (!site || site.stack.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="stack">
      {site.stack.map((line, i) => {
        const frame = parseFrame(line);
        return (
          <li key={i}>
            {frame ? (
              <>
                <span className="fn page-text">{visibleText(frame.fn)}</span> <SourceLink frame={frame} />
              </>
            ) : (
              <span className="muted page-text">{visibleText(line.trim())}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
