/** A port id that selects the port and shows it in the Channels view. */
import { usePanelStore } from './storeContext.ts';

export function PortButton({ id }: { id: string }) {
  const store = usePanelStore();
  return (
    <button
      type="button"
      className="link id"
      title={`Show port ${id}`}
      onClick={() => {
        store.getState().selectPort(id);
        store.getState().setView('channels');
      }}
    >
      {id}
    </button>
  );
}
