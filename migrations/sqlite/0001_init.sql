-- Kopra schema 1 (SQLite). Keep in step with ../postgres/0001_init.sql.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT,
    name_key TEXT NOT NULL
) STRICT;
CREATE INDEX regions_parent ON regions (parent_code, name);
CREATE INDEX regions_level ON regions (level, code);

CREATE TABLE cooperatives (
    id INTEGER PRIMARY KEY,
    nik TEXT UNIQUE,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    legal_entity_number TEXT,
    legal_entity_date TEXT,
    amendments TEXT NOT NULL DEFAULT '[]',
    address TEXT,
    kelurahan_code TEXT REFERENCES regions (code),
    kecamatan_code TEXT NOT NULL REFERENCES regions (code),
    kabkota_code TEXT NOT NULL REFERENCES regions (code),
    kelurahan_text TEXT,
    bentuk TEXT,
    jenis TEXT,
    kelompok TEXT,
    sektor TEXT,
    loop_kind TEXT,
    phone TEXT,
    email TEXT,
    certificate_valid_until TEXT,
    ods_grade TEXT,
    ods_last_rat_date TEXT,
    notes TEXT,
    supervised INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    archive_reason TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX cooperatives_kecamatan ON cooperatives (kecamatan_code, archived, name);
CREATE INDEX cooperatives_kelurahan ON cooperatives (kelurahan_code);
CREATE INDEX cooperatives_name ON cooperatives (archived, name);
CREATE INDEX cooperatives_jenis ON cooperatives (jenis);
CREATE INDEX cooperatives_kelompok ON cooperatives (kelompok);
CREATE INDEX cooperatives_bentuk ON cooperatives (bentuk);
CREATE INDEX cooperatives_sektor ON cooperatives (sektor);
CREATE INDEX cooperatives_legal_entity_number ON cooperatives (legal_entity_number);

CREATE TABLE cooperative_versions (
    id INTEGER PRIMARY KEY,
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    changes TEXT NOT NULL,
    reason TEXT,
    actor_user_id INTEGER,
    actor_name TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (cooperative_id, version)
) STRICT;

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    cooperative_id INTEGER REFERENCES cooperatives (id),
    kecamatan_codes TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    before TEXT,
    after TEXT,
    ip TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, at);
CREATE INDEX audit_log_action ON audit_log (action, entity_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
