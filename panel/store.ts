/**
 * The panel's state: a framework-free zustand store (vanilla) around one ChannelModel.
 * The model is mutable and large, so the store does not copy it: it publishes the model's
 * `revision` and the UI derives what it draws (rows, lanes) from the model on demand.
 * Facts are applied as they arrive; listeners hear about it at most once per `flushEvery`.
 *
 * The contract of export: a trace of the model's fact log, replayed in a fresh model and settled,
 * rebuilds exactly what the panel shows. Two things could break it, and are handled here:
 * pausing (facts are held, never dropped: see heldFacts.ts) and settling on a quiet spell while
 * facts are still on their way (the model then inferred what a later fact contradicts; the
 * next facts are applied to a model rebuilt from the log instead).
 *
 * The live recording (recording.ts) owns Clear's cut and every rebuild from the log. An
 * imported trace is shown beside it, never instead of it: live facts keep going to the live
 * recording while the trace is on screen, and "Back to live" shows it again, nothing lost.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Fact } from '../protocol/facts.ts';
import type { RuntimeConfig } from '../protocol/handshake.ts';
import { PREVIEW_BOUNDS } from '../protocol/facts.ts';
import { previewBoundsProblem, samePreviewBounds } from './previewSettings.ts';
import type { ChannelModel, CreateModel } from './model/types.ts';
import { FilterSyntaxError, parseQuery, type Term } from './query.ts';
import type { Sort, SortKey } from './messageRows.ts';
import { HeldFacts } from './heldFacts.ts';
import { type Navigation, Recording, rebuild } from './recording.ts';
import { searchIndexOf } from './searchText.ts';
import { EMPTY_RELAY_STATUS, type Connection, type RelayStatus, type SourceCommand } from './source/types.ts';

export type View = 'channels' | 'messages' | 'timeline' | 'diagnostics';

export interface PanelSettings extends RuntimeConfig {
  /** Message bodies the model keeps (ModelOptions.messageCap). */
  messageCap: number;
  /** Raw facts kept for export (ModelOptions.factLogCap). */
  factLogCap: number;
}

export const DEFAULT_SETTINGS: PanelSettings = {
  messageCap: 100_000,
  factLogCap: 1_000_000,
  captureStacks: false,
  inWorker: false,
  preview: PREVIEW_BOUNDS,
};

/** Bounds the settings dialog accepts; outside them the value is refused with a message. */
export const SETTING_BOUNDS = { messageCap: [1_000, 2_000_000], factLogCap: [10_000, 5_000_000] } as const;

export class SettingsError extends Error {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SettingsError';
  }
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface PanelState {
  model: ChannelModel;
  revision: number;
  /** The picture is frozen: facts that arrive are held (not dropped) and applied on resume. */
  paused: boolean;
  /** Facts held by the current pause. */
  held: number;
  /** Live facts recorded (in the live recording, not shown) while an imported trace is shown. */
  liveWhileTrace: number;
  /** Message records the user's Clear dropped from what is shown (structure stays; recording.ts). */
  cleared: number;
  /** Reloads and navigations of the inspected page kept by Preserve log, oldest first. */
  navigations: readonly Navigation[];
  /**
   * The model settled on a quiet spell and a fact came later, in a log too long to rebuild from
   * (REBUILD_LIMIT): what it inferred may differ from what a replay of the export infers.
   */
  settledEarly: boolean;
  preserveLog: boolean;
  filterText: string;
  terms: Term[];
  filterError: string | null;
  sort: Sort;
  view: View;
  selectedMessage: string | null;
  selectedPort: string | null;
  connection: Connection;
  reconnectAttempt: number;
  instrumented: boolean | null;
  pageUrl: string | null;
  sessions: number;
  relay: RelayStatus;
  settings: PanelSettings;
  notice: Notice | null;
  /** The file or URL of an imported trace, shown in the toolbar. */
  traceName: string | null;

  ingest(facts: readonly Fact[]): void;
  newSession(url: string | null): void;
  setPageUrl(url: string): void;
  setPaused(on: boolean): void;
  /** Leaves an imported trace and shows the live recording again (kept while the trace was shown). */
  showLive(): void;
  clear(): void;
  /** A Clear the background reports (made before this panel subscribed, or by another panel): cut here. */
  clearedInBackground(): void;
  setPreserveLog(on: boolean): void;
  /**
   * The user may be about to filter (the filter box got the focus): from now on messages get
   * their search texts as they arrive, and those of the messages before are built in slices.
   */
  prepareSearch(): void;
  setFilter(text: string): void;
  setSort(key: SortKey): void;
  setView(view: View): void;
  selectMessage(id: string | null): void;
  selectPort(id: string | null): void;
  setConnection(state: Connection, attempt?: number): void;
  setRelayStatus(status: RelayStatus): void;
  setInstrumented(on: boolean): void;
  setSettings(next: Partial<PanelSettings>): void;
  /** Shows the facts of a trace; the live recording goes on behind it. */
  loadTrace(facts: readonly Fact[], name: string): void;
  notify(notice: Notice | null): void;
  /** Publishes pending model changes now (tests, benchmarks). */
  flush(): void;
}

export interface PanelStoreOptions {
  createModel: CreateModel;
  /** Where commands for the background go (nothing in the standalone viewer). */
  send?: (command: SourceCommand) => void;
  settings?: Partial<PanelSettings>;
  /** Milliseconds between UI updates while facts stream in; 0 publishes synchronously. */
  flushEvery?: number;
  /**
   * Milliseconds of silence after which the model stops waiting for facts that may never
   * come (a context that is not observed) and infers instead (ChannelModel.settle); 0: never.
   */
  settleAfter?: number;
  /** Milliseconds the filter waits for typing to stop before it runs; 0 runs at once. */
  filterDelay?: number;
  /** What a pause holds at most, in facts and in characters (heldFacts.ts; defaults there). */
  hold?: { facts?: number; chars?: number };
}

export type PanelStore = StoreApi<PanelState>;

/**
 * Facts a model may be rebuilt from after an early settle (~1 s of work at the model's ingest
 * rate); a longer log keeps its early inferences and says so (PanelState.settledEarly).
 */
export const REBUILD_LIMIT = 100_000;

/** Search texts built per task for the messages that came before the filter was wanted. */
const SEARCH_SLICE = 2_000;

function checkSettings(s: PanelSettings): void {
  for (const field of ['messageCap', 'factLogCap'] as const) {
    const [lo, hi] = SETTING_BOUNDS[field];
    const v = s[field];
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new SettingsError(field, `expected an integer from ${lo} to ${hi}, got ${String(v)}`);
  }
  const problem = s.preview && previewBoundsProblem(s.preview);
  if (problem) throw new SettingsError('preview', problem);
}

export function createPanelStore(options: PanelStoreOptions): PanelStore {
  const send = options.send ?? (() => {});
  const flushEvery = options.flushEvery ?? 100;
  const initial = { ...DEFAULT_SETTINGS, ...options.settings };
  checkSettings(initial);
  const modelFor = (s: PanelSettings) => options.createModel({ messageCap: s.messageCap, factLogCap: s.factLogCap });
  const settleAfter = options.settleAfter ?? 3000;
  const filterDelay = options.filterDelay ?? 120;
  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  /** The user may filter (prepareSearch): the search texts are kept level with the messages. */
  let searchWanted = false;
  /** When the latest facts were applied (Date.now()), for the quiet-spell timer. */
  let lastFactAt = 0;
  const held = new HeldFacts(options.hold?.facts, options.hold?.chars);
  /** The live model settled while contexts still waited for facts that may yet come. */
  let settledWhileWaiting = false;
  const live = new Recording(() => modelFor(initial));

  return createStore<PanelState>()((set, get) => {
    const publish = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      // Once the user may filter, new messages get their search text now, so the next filter
      // over them does not pay for it (searchText.ts).
      const { model } = get();
      if (searchWanted) searchIndexOf(model).sync(model.messages);
      set({ revision: model.revision });
    };
    /** The search texts of what came before the filter was wanted, a slice per task. */
    const indexBacklog = () => {
      const { model } = get();
      if (searchIndexOf(model).sync(model.messages, SEARCH_SLICE) === SEARCH_SLICE) setTimeout(indexBacklog, 0);
    };
    const schedule = () => {
      if (flushEvery === 0) publish();
      else if (timer === undefined) timer = setTimeout(publish, flushEvery);
      if (settleAfter > 0) {
        // One timer per quiet spell, not one per arriving chunk: it moves itself on when facts
        // came since it was set (see quietCheck).
        lastFactAt = Date.now();
        if (idle === undefined) idle = setTimeout(quietCheck, settleAfter);
      }
    };
    const quietCheck = () => {
      const since = Date.now() - lastFactAt;
      if (since < settleAfter) idle = setTimeout(quietCheck, settleAfter - Math.max(0, since));
      else {
        idle = undefined;
        settleQuiet();
      }
    };
    const cancelQuiet = () => {
      clearTimeout(idle);
      idle = undefined;
    };
    const settleQuiet = () => {
      if (get().traceName !== null) return;
      const { model } = live;
      if (model.stats.waiting > 0) {
        model.settle();
        settledWhileWaiting = true;
      }
      publish();
    };
    /** What the live recording shows, for the store's state. */
    const liveView = () => ({ model: live.model, cleared: live.cleared, navigations: live.navigations });
    /** Applies live facts; after an early settle, to a model rebuilt from the log (see top). */
    const applyLive = (facts: readonly Fact[]) => {
      if (settledWhileWaiting) {
        settledWhileWaiting = false;
        const { model } = live;
        if (model.stats.evictedFacts === 0 && model.factLog().length <= REBUILD_LIMIT) {
          live.rebuild();
          const { selectedMessage } = get();
          const keep = selectedMessage && live.model.message(selectedMessage) ? selectedMessage : null;
          set({ model: live.model, selectedMessage: keep });
        } else set({ settledEarly: true });
      }
      live.apply(facts);
      if (get().navigations !== live.navigations) set({ navigations: live.navigations });
      if (get().instrumented !== true) set({ instrumented: true });
      schedule();
    };
    const resetLive = () => {
      live.reset();
      held.discard();
      settledWhileWaiting = false;
      set({ ...liveView(), selectedMessage: null, selectedPort: null, held: 0, liveWhileTrace: 0 });
      set({ settledEarly: false });
      publish();
    };

    return {
      model: live.model,
      revision: 0,
      paused: false,
      held: 0,
      liveWhileTrace: 0,
      cleared: 0,
      navigations: [],
      settledEarly: false,
      preserveLog: false,
      filterText: '',
      terms: [],
      filterError: null,
      sort: { key: 'time', dir: 'asc' },
      view: 'channels',
      selectedMessage: null,
      selectedPort: null,
      connection: 'connecting',
      reconnectAttempt: 0,
      instrumented: null,
      pageUrl: null,
      sessions: 0,
      relay: EMPTY_RELAY_STATUS,
      settings: initial,
      notice: null,
      traceName: null,

      ingest(facts) {
        if (facts.length === 0) return;
        if (get().traceName !== null) {
          // Recorded, not shown: the trace on screen must not mix with the live page.
          live.apply(facts);
          set({ liveWhileTrace: get().liveWhileTrace + facts.length });
          return;
        }
        if (get().paused) {
          if (held.hold(facts)) {
            set({ held: held.size });
            return;
          }
          get().setPaused(false);
          get().notify({
            kind: 'info',
            text: `Resumed: more arrived while paused than a pause holds (${held.cap.toLocaleString('en-US')} facts or ${held.charCap.toLocaleString('en-US')} characters of data).`,
          });
        }
        applyLive(facts);
      },
      newSession(url) {
        set({ pageUrl: url ?? get().pageUrl, sessions: get().sessions + 1 });
        const onScreen = get().traceName === null;
        if (get().preserveLog) {
          live.navigated(url, Date.now());
          if (onScreen) set({ navigations: live.navigations });
        } else if (onScreen) resetLive();
        else {
          // An imported trace stays on screen whatever the inspected page does.
          live.reset();
          settledWhileWaiting = false;
        }
      },
      setPageUrl(url) {
        set({ pageUrl: url });
      },
      setPaused(on) {
        if (on === get().paused || get().traceName !== null) return;
        if (on) {
          // A frozen picture must not settle: the facts it waits for may be among those held.
          cancelQuiet();
          set({ paused: true, held: 0 });
          return;
        }
        set({ paused: false, held: 0 });
        const facts = held.release();
        if (facts.length) applyLive(facts);
        else schedule();
      },
      showLive() {
        if (get().traceName === null) return;
        set({ ...liveView(), traceName: null, liveWhileTrace: 0, settledEarly: false });
        set({ selectedMessage: null, selectedPort: null });
        publish();
      },
      clear() {
        if (get().traceName !== null) {
          // Clearing an imported trace closes it; the live recording is not touched.
          get().showLive();
          return;
        }
        // Held facts came before the click: they are applied first, so the cut is where the user clicked.
        if (held.size) applyLive(held.release());
        live.clearMessages();
        set({ ...liveView(), selectedMessage: null, held: 0 });
        publish();
        send({ type: 'clear' });
      },
      clearedInBackground() {
        // Held facts came before the cut in the stream: applied first, as for the user's Clear.
        if (held.size) applyLive(held.release());
        live.clearMessages();
        if (get().traceName !== null) return;
        set({ ...liveView(), selectedMessage: null, held: 0 });
        publish();
      },
      setPreserveLog(on) {
        set({ preserveLog: on });
      },
      prepareSearch() {
        if (searchWanted) return;
        searchWanted = true;
        indexBacklog();
      },
      setFilter(text) {
        if (text !== '') get().prepareSearch();
        set({ filterText: text });
        clearTimeout(filterTimer);
        const run = () => {
          try {
            set({ terms: parseQuery(text), filterError: null });
          } catch (e) {
            if (!(e instanceof FilterSyntaxError)) throw e;
            // No rows rather than the previous filter's: they would answer a question not asked.
            set({ terms: [], filterError: e.message });
          }
        };
        if (filterDelay === 0) run();
        else filterTimer = setTimeout(run, filterDelay);
      },
      setSort(key) {
        const { sort } = get();
        set({ sort: sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' } });
      },
      setView(view) {
        set({ view });
      },
      selectMessage(id) {
        set({ selectedMessage: id });
      },
      selectPort(id) {
        set({ selectedPort: id });
      },
      // The source reports its connection and the page's instrumentation with every chunk of
      // facts: a set that changes nothing would still wake every subscriber of the UI.
      setConnection(state, attempt = 0) {
        if (get().connection === state && get().reconnectAttempt === attempt) return;
        set({ connection: state, reconnectAttempt: attempt });
      },
      setRelayStatus(relay) {
        set({ relay });
      },
      setInstrumented(on) {
        if (get().instrumented !== on) set({ instrumented: on });
      },
      setSettings(next) {
        const prev = get().settings;
        const settings = { ...prev, ...next };
        checkSettings(settings);
        set({ settings });
        if (settings.messageCap !== prev.messageCap || settings.factLogCap !== prev.factLogCap) {
          // New bounds need a new model; rebuild it from the facts kept so far.
          live.create = () => modelFor(settings);
          live.rebuild();
          settledWhileWaiting = false;
          if (get().traceName === null) set({ ...liveView(), revision: live.model.revision });
        }
        if (
          settings.captureStacks !== prev.captureStacks ||
          settings.inWorker !== prev.inWorker ||
          !samePreviewBounds(settings.preview, prev.preview)
        ) {
          // The default bounds go unsaid: a runtime without `preview` uses them.
          const { captureStacks, inWorker, preview } = settings;
          const bounds = samePreviewBounds(preview, PREVIEW_BOUNDS) ? {} : { preview };
          send({ type: 'config', config: { captureStacks, inWorker, ...bounds } });
        }
      },
      loadTrace(facts, name) {
        const settings = get().settings;
        const model = rebuild(() => modelFor(settings), facts, null);
        // A trace is complete: nothing more will arrive to wait for.
        model.settle();
        // What a pause held belongs to the live recording, which goes on behind the trace.
        if (held.size) live.apply(held.release());
        cancelQuiet();
        set({ model, revision: model.revision, traceName: name, paused: false, held: 0, liveWhileTrace: 0 });
        set({ cleared: 0, navigations: [], settledEarly: false, notice: null });
        set({ selectedMessage: null, selectedPort: null });
      },
      notify(notice) {
        set({ notice });
      },
      flush: publish,
    };
  });
}
