/**
 * The console's events, stored in the host's database (table `console_events`, schema 9) so that
 * "Needs attention" survives a restart. An event belongs to an episode, named by its key: raising
 * a key whose episode is still open adds an occurrence to it instead of a new row. Episodes end in
 * one of two ways: a condition ends when it clears (`resolve`), a repeated occurrence (a cloned
 * image, requests for an uncovered product) when the admin acknowledges it.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ConsoleViewId, EventSeverity, HostEventKind, HostEventView } from '../../shared/ipc/views.js';

export interface RaisedEvent {
  kind: HostEventKind;
  severity: EventSeverity;
  key: string;
  message: string;
  view: ConsoleViewId;
  /** 'resolve': the episode stays open (even acknowledged) until the condition clears. */
  endsOn: 'resolve' | 'acknowledge';
}

/** Which events a list asks for: what still needs the admin, routine information, or everything. */
export type EventScope = 'attention' | 'routine' | 'all';

interface EventDbRow {
  id: number;
  at: number;
  last_at: number;
  occurrences: number;
  kind: string;
  severity: string;
  message: string;
  view: string;
  acknowledged_at: number | null;
  resolved_at: number | null;
}

/** Rows kept at most; the oldest closed ones go first. */
export const MAX_STORED_EVENTS = 5_000;

function toView(r: EventDbRow): HostEventView {
  return {
    id: r.id,
    at: r.at,
    lastAt: r.last_at,
    occurrences: r.occurrences,
    kind: r.kind as HostEventKind,
    severity: r.severity as EventSeverity,
    message: r.message,
    view: r.view as ConsoleViewId,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
  };
}

const COLUMNS = 'id, at, last_at, occurrences, kind, severity, message, view, acknowledged_at, resolved_at';
const ATTENTION = "severity != 'info' AND acknowledged_at IS NULL AND resolved_at IS NULL";

export class EventLog {
  readonly #open: Record<RaisedEvent['endsOn'], Statement>;
  readonly #insert: Statement;
  readonly #bump: Statement;
  readonly #resolve: Statement;
  readonly #byId: Statement;
  readonly #lists: Record<EventScope, Statement>;
  readonly #acknowledge: Statement;
  readonly #prune: Statement;
  readonly #everRaised: Statement;

  constructor(readonly db: Database) {
    this.#open = {
      resolve: db.prepare(
        'SELECT id FROM console_events WHERE episode_key = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1',
      ),
      acknowledge: db.prepare(
        'SELECT id FROM console_events WHERE episode_key = ? AND resolved_at IS NULL AND acknowledged_at IS NULL ORDER BY id DESC LIMIT 1',
      ),
    };
    this.#insert = db.prepare(
      `INSERT INTO console_events (at, last_at, occurrences, kind, severity, episode_key, message, view)
       VALUES (?, ?, 1, ?, ?, ?, ?, ?)`,
    );
    this.#bump = db.prepare(
      'UPDATE console_events SET last_at = ?, occurrences = occurrences + 1, message = ?, severity = ? WHERE id = ?',
    );
    this.#resolve = db.prepare(
      'UPDATE console_events SET resolved_at = ? WHERE episode_key = ? AND resolved_at IS NULL RETURNING id',
    );
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM console_events WHERE id = ?`);
    this.#lists = {
      attention: db.prepare(`SELECT ${COLUMNS} FROM console_events WHERE ${ATTENTION} ORDER BY id DESC LIMIT ?`),
      routine: db.prepare(`SELECT ${COLUMNS} FROM console_events WHERE NOT (${ATTENTION}) ORDER BY id DESC LIMIT ?`),
      all: db.prepare(`SELECT ${COLUMNS} FROM console_events ORDER BY id DESC LIMIT ?`),
    };
    this.#acknowledge = db.prepare(
      'UPDATE console_events SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL',
    );
    this.#prune = db.prepare(
      `DELETE FROM console_events WHERE id IN (SELECT id FROM console_events
         WHERE NOT (${ATTENTION}) ORDER BY id LIMIT ?)`,
    );
    this.#everRaised = db.prepare('SELECT 1 FROM console_events WHERE episode_key = ? LIMIT 1');
  }

  /**
   * Opens an episode, or adds an occurrence to the open one. A condition (`endsOn: 'resolve'`) is
   * re-checked every few seconds: while it goes on unchanged, that is not a new occurrence, and
   * nothing is written. Returns the event as stored now, and whether this call changed it.
   */
  raise(e: RaisedEvent, at: number): { event: HostEventView; changed: boolean } {
    const open = this.#open[e.endsOn].get(e.key) as { id: number } | undefined;
    if (open) {
      const current = this.get(open.id)!;
      if (e.endsOn === 'resolve' && current.message === e.message && current.severity === e.severity) {
        return { event: current, changed: false };
      }
      this.#bump.run(at, e.message, e.severity, open.id);
      return { event: this.get(open.id)!, changed: true };
    }
    const id = Number(this.#insert.run(at, at, e.kind, e.severity, e.key, e.message, e.view).lastInsertRowid);
    this.#pruneIfFull();
    return { event: this.get(id)!, changed: true };
  }

  /** Whether an episode with this key was ever raised (for once-only events such as a reactivation spent). */
  wasRaised(key: string): boolean {
    return this.#everRaised.get(key) !== undefined;
  }

  /** Ends the open episode of `key`, if any. Returns the events it ended. */
  resolve(key: string, at: number): HostEventView[] {
    // Checked first: conditions are re-checked every few seconds, and most are not open.
    if (this.#open.resolve.get(key) === undefined) return [];
    const ids = this.#resolve.all(at, key) as { id: number }[];
    return ids.map(({ id }) => this.get(id)!);
  }

  get(id: number): HostEventView | undefined {
    const row = this.#byId.get(id) as EventDbRow | undefined;
    return row && toView(row);
  }

  list(scope: EventScope, limit: number): HostEventView[] {
    return (this.#lists[scope].all(limit) as EventDbRow[]).map(toView);
  }

  /** Marks events as seen by the admin. Returns how many were not acknowledged before. */
  acknowledge(ids: readonly number[], at: number): number {
    let n = 0;
    this.db.transaction(() => {
      for (const id of ids) n += this.#acknowledge.run(at, id).changes;
    })();
    return n;
  }

  #pruneIfFull(): void {
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM console_events').get() as { n: number };
    if (n > MAX_STORED_EVENTS) this.#prune.run(n - MAX_STORED_EVENTS);
  }
}
