// Reading what is left of a .db3 whose messages table has a damaged page ("database disk image
// is malformed"). A scan of the table, or of its timestamp index, stops at the first damaged page;
// a lookup of one row by id touches only the pages on that row's path. So the rows are read one
// by one by id: a damaged page costs the rows stored in it, each lost id range is named, and the
// readable rows are read in (timestamp, id) order, as rosbag2 plays them.
import type Database from 'better-sqlite3';

/** Whether `err` is SQLite saying the file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB). */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export interface SalvagedRow {
  id: bigint;
  topicId: bigint | null;
  timestamp: bigint | null;
}

/** The readable rows, in (timestamp, id) order, and the id ranges that could not be read. */
export interface Salvage {
  rows: SalvagedRow[];
  lost: { first: bigint; last: bigint; why: string }[];
}

/** Reads every messages row by id. Throws when not even the table's id range can be read. */
export function salvageMessages(db: Database.Database): Salvage {
  // One query each: SQLite reads only the first or last leaf for a lone MIN or MAX of the key,
  // but scans the whole table (and meets the damaged page) for both in one query.
  const end = (fn: 'MIN' | 'MAX') => (db.prepare(`SELECT ${fn}(id) AS id FROM messages`).get() as { id: bigint | null }).id;
  const range = { first: end('MIN'), last: end('MAX') };
  const one = db.prepare('SELECT id, topic_id AS topicId, timestamp FROM messages WHERE id = ?');
  const rows: SalvagedRow[] = [];
  const lost: Salvage['lost'] = [];
  if (range.first === null || range.last === null) return { rows, lost };
  for (let id = range.first; id <= range.last; id++) {
    try {
      const row = one.get(id) as SalvagedRow | undefined;
      if (row) rows.push(row);
    } catch (err) {
      const why = (err as Error).message;
      const previous = lost[lost.length - 1];
      if (previous && previous.last === id - 1n && previous.why === why) previous.last = id;
      else lost.push({ first: id, last: id, why });
    }
  }
  rows.sort((a, b) => compare(a.timestamp ?? -1n, b.timestamp ?? -1n) || compare(a.id, b.id));
  return { rows, lost };
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
