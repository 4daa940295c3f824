/**
 * The "Message previews" block of the settings dialog: how much of each message the runtime
 * records (depth, keys, string length), or every node ("capture full data"). A draft of text
 * fields until Apply; `previewDraftBounds` turns it into bounds the store checks.
 */
import { PREVIEW_BOUNDS, PREVIEW_FULL, PREVIEW_MIN, type PreviewBounds } from '../../protocol/facts.ts';
import { PREVIEW_FIELDS, boundsFrom, isFull } from '../previewSettings.ts';

export interface PreviewDraft {
  full: boolean;
  depth: string;
  keys: string;
  stringLength: string;
}

export function previewDraftOf(bounds: PreviewBounds | undefined): PreviewDraft {
  const b = bounds ?? PREVIEW_BOUNDS;
  // Full mode shows the default's numbers, so turning it off goes back to something sensible.
  const shown = isFull(b) ? PREVIEW_BOUNDS : b;
  return {
    full: isFull(b),
    depth: String(shown.depth),
    keys: String(shown.keys),
    stringLength: String(shown.stringLength),
  };
}

export function previewDraftBounds(d: PreviewDraft): PreviewBounds {
  return boundsFrom(d.full, Number(d.depth), Number(d.keys), Number(d.stringLength));
}

function summaryOf(d: PreviewDraft): string {
  return d.full ? 'full data' : `depth ${d.depth}, ${d.keys} keys, ${d.stringLength} characters`;
}

export function PreviewSettings({
  draft,
  onChange,
  disabled,
}: {
  draft: PreviewDraft;
  onChange: (next: PreviewDraft) => void;
  disabled: boolean;
}) {
  return (
    // Closed until asked for, so the dialog stays as short as it was (a docked panel is low).
    <details className="dialog-group">
      <summary>{`Message previews: ${summaryOf(draft)}`}</summary>
      <fieldset disabled={disabled}>
        {PREVIEW_FIELDS.map(({ field, label }) => (
          <label key={field}>
            {label}
            <input
              type="number"
              name={`preview-${field}`}
              min={PREVIEW_MIN[field]}
              max={PREVIEW_FULL[field]}
              disabled={draft.full}
              value={draft[field]}
              onChange={(e) => onChange({ ...draft, [field]: e.currentTarget.value })}
            />
          </label>
        ))}
        <label className="check">
          <input
            type="checkbox"
            name="preview-full"
            checked={draft.full}
            onChange={(e) => onChange({ ...draft, full: e.currentTarget.checked })}
          />
          Capture full data (slower pages; fewer messages fit in the buffers)
        </label>
        <p className="muted dialog-note">
          {draft.full
            ? `Every node, up to ${PREVIEW_FULL.nodes.toLocaleString('en-US')} per message, ${PREVIEW_FULL.depth} levels and ${PREVIEW_FULL.stringLength.toLocaleString('en-US')} characters per string.`
            : 'Deeper or larger parts are described by kind and size, marked “not recorded”.'}{' '}
          For messages posted after Apply.
        </p>
      </fieldset>
    </details>
  );
}
