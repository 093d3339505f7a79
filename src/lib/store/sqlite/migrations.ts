/**
 * The SQLite schema, as an append-only list of migrations: entry i moves version i to i+1.
 * Never edit a shipped entry; add a new one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE xml (
    sha256 TEXT PRIMARY KEY,
    xml TEXT NOT NULL
  );
  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    process_id TEXT NOT NULL,
    xml_sha256 TEXT NOT NULL REFERENCES xml(sha256),
    status TEXT NOT NULL,
    count INTEGER NOT NULL,
    head TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    file TEXT
  );
  CREATE INDEX runs_by_status ON runs(status, process_id);
  -- One row per record; the primary key is UNIQUE(run_id, seq): a duplicate seq fails the commit.
  CREATE TABLE records (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE snapshots (
    run_id TEXT PRIMARY KEY REFERENCES runs(run_id),
    seq INTEGER NOT NULL,
    state TEXT NOT NULL
  );
  `
];
