//! Versioned schema migrations, one list per backend. A database records the versions it has
//! applied in `schema_migrations`; opening it applies the rest in order, each in a transaction.
//! Never edit a migration that has shipped: add the next one.

/// The first schema: the same SQL suits both backends. Later migrations may differ per backend,
/// which is why each keeps its own list.
const V1: &str = "CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        time TEXT NOT NULL,
        case_json TEXT NOT NULL,
        record TEXT NOT NULL,
        version TEXT NOT NULL,
        digest TEXT NOT NULL,
        engine TEXT NOT NULL,
        record_sha256 TEXT NOT NULL
    );
    CREATE INDEX decisions_time ON decisions (time);
    CREATE TABLE outcomes (
        id TEXT NOT NULL REFERENCES decisions (id),
        decision TEXT NOT NULL,
        outcome TEXT NOT NULL,
        pos INTEGER NOT NULL,
        PRIMARY KEY (id, decision)
    );
    CREATE INDEX outcomes_by_outcome ON outcomes (decision, outcome, id);";

/// Cases and records packed (`packed.rs`): rows written from now on store them in these columns
/// and leave the text columns empty; rows written before keep their text and are read as before.
const V2_SQLITE: &str = "ALTER TABLE decisions ADD COLUMN case_lz4 BLOB;
    ALTER TABLE decisions ADD COLUMN record_lz4 BLOB;";

const V2_POSTGRES: &str =
    "ALTER TABLE decisions ADD COLUMN case_lz4 BYTEA, ADD COLUMN record_lz4 BYTEA;";

/// (version, SQL) for SQLite.
pub const SQLITE: &[(i64, &str)] = &[(1, V1), (2, V2_SQLITE)];

/// (version, SQL) for PostgreSQL.
pub const POSTGRES: &[(i64, &str)] = &[(1, V1), (2, V2_POSTGRES)];

pub const CREATE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)";
