-- Re-registration campaigns: invitations with one-time codes, and what cooperatives send back (SQLite).
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    code_hash TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL,
    outcome TEXT NOT NULL,
    opened_at TEXT,
    note TEXT,
    UNIQUE (campaign_id, cooperative_id)
) STRICT;
CREATE INDEX invitations_campaign ON invitations (campaign_id, outcome);

CREATE TABLE invitation_submissions (
    id INTEGER PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id),
    proposed TEXT NOT NULL,
    changes TEXT NOT NULL,
    report TEXT,
    stopped INTEGER NOT NULL,
    note TEXT,
    status TEXT NOT NULL,
    review_note TEXT,
    reviewed_by TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX invitation_submissions_invitation ON invitation_submissions (invitation_id, id);
