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

/// (version, SQL) for SQLite.
pub const SQLITE: &[(i64, &str)] = &[(1, V1)];

/// (version, SQL) for PostgreSQL.
pub const POSTGRES: &[(i64, &str)] = &[(1, V1)];

pub const CREATE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)";
