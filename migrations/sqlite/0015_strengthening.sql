-- Strengthening cooperatives (SQLite): the UMKM register with its history, memberships of
-- cooperatives, buying and selling coalitions with their transactions, and dismissed
-- matchmaking proposals.
CREATE TABLE umkm (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    owner_name TEXT,
    owner_phone TEXT,
    nib TEXT UNIQUE,
    kbli TEXT NOT NULL,
    products TEXT NOT NULL,
    address TEXT,
    kelurahan_code TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL,
    kabkota_code TEXT NOT NULL,
    capital INTEGER,
    annual_sales INTEGER,
    employees_male INTEGER,
    employees_female INTEGER,
    skb_number TEXT,
    cluster TEXT,
    recorded_on TEXT NOT NULL,
    size_class TEXT,
    notes TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    archive_reason TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX umkm_kecamatan ON umkm (kecamatan_code, archived, name);
CREATE INDEX umkm_kelurahan ON umkm (kelurahan_code);
CREATE INDEX umkm_name ON umkm (archived, name);
CREATE INDEX umkm_size ON umkm (size_class);
CREATE INDEX umkm_cluster ON umkm (cluster);

CREATE TABLE umkm_versions (
    id INTEGER PRIMARY KEY,
    umkm_id INTEGER NOT NULL REFERENCES umkm (id),
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    changes TEXT NOT NULL,
    reason TEXT,
    actor_user_id INTEGER,
    actor_name TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (umkm_id, version)
) STRICT;

CREATE TABLE umkm_memberships (
    id INTEGER PRIMARY KEY,
    umkm_id INTEGER NOT NULL REFERENCES umkm (id),
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    joined_on TEXT,
    left_on TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX umkm_memberships_umkm ON umkm_memberships (umkm_id);
CREATE INDEX umkm_memberships_cooperative ON umkm_memberships (cooperative_id);

CREATE TABLE coalitions (
    id INTEGER PRIMARY KEY,
    anchor_cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    commodities TEXT NOT NULL,
    agreement_date TEXT,
    agreement_document TEXT,
    status TEXT NOT NULL,
    notes TEXT,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX coalitions_anchor ON coalitions (anchor_cooperative_id);

CREATE TABLE coalition_members (
    id INTEGER PRIMARY KEY,
    coalition_id INTEGER NOT NULL REFERENCES coalitions (id),
    umkm_id INTEGER REFERENCES umkm (id),
    cooperative_id INTEGER REFERENCES cooperatives (id),
    joined_on TEXT NOT NULL,
    left_on TEXT,
    UNIQUE (coalition_id, umkm_id),
    UNIQUE (coalition_id, cooperative_id)
) STRICT;
CREATE INDEX coalition_members_umkm ON coalition_members (umkm_id);
CREATE INDEX coalition_members_cooperative ON coalition_members (cooperative_id);

CREATE TABLE coalition_transactions (
    id INTEGER PRIMARY KEY,
    coalition_id INTEGER NOT NULL REFERENCES coalitions (id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    goods TEXT NOT NULL,
    quantity REAL NOT NULL,
    unit TEXT NOT NULL,
    value INTEGER NOT NULL,
    individual_value INTEGER,
    member_ids TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX coalition_transactions_coalition ON coalition_transactions (coalition_id, on_date);

CREATE TABLE match_dismissals (
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    umkm_id INTEGER NOT NULL REFERENCES umkm (id),
    reason TEXT,
    dismissed_by TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (cooperative_id, umkm_id)
) STRICT;
