/**
 * The ▸/▾ button that opens and closes a row of the Channels tree (a context, a creation site's
 * group or fold). It is the row's tab stop in the tree's roving focus (`data-tree-item`).
 */
export function TreeToggle({ open, name, onToggle }: { open: boolean; name: string; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="tree-toggle"
      data-tree-item=""
      aria-label={`${open ? 'Collapse' : 'Expand'} ${name}`}
      onClick={onToggle}
    >
      {open ? '▾' : '▸'}
    </button>
  );
}
