/** "3 channels muted — show": what is hidden is counted, and can be shown or unmuted. */
import { plural } from './labels.ts';
import { useMutes } from './mutesStore.ts';

export function MutedLine({ count }: { count: number }) {
  const showMuted = useMutes((s) => s.showMuted);
  const mutes = useMutes((s) => s.mutes);
  const error = useMutes((s) => s.error);
  const m = useMutes((s) => s);
  if (count === 0 && !error && mutes.sites.length + mutes.libraries.length === 0) return null;
  return (
    <div className="muted-line" data-testid="muted-line">
      {error ? <span className="filter-error">{error}</span> : null}
      {count ? (
        <span>
          {`${plural(count, 'channel')} muted — `}
          <button type="button" className="link" onClick={() => m.setShowMuted(!showMuted)}>
            {showMuted ? 'hide' : 'show'}
          </button>
        </span>
      ) : (
        <span className="muted">no channel here is muted</span>
      )}
      {showMuted || count === 0
        ? [...mutes.libraries.map((k) => ['library', k] as const), ...mutes.sites.map((k) => ['site', k] as const)].map(
            ([by, key]) => (
              <span key={`${by}:${key}`} className="mute-entry">
                <span className="page-text" title={key}>
                  {by === 'library'
                    ? key
                    : key
                        .replace(/^[^@]*@/, '')
                        .split('/')
                        .pop()}
                </span>{' '}
                <button type="button" className="link" onClick={() => m.unmute(by, key)}>
                  unmute
                </button>
              </span>
            ),
          )
        : null}
    </div>
  );
}
