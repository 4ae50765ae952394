-- Teams, users and their memberships. A team name ends up in app labels, topics and DNS, so it
-- is DNS-safe (checked by the API); "user" is a reserved word, hence app_user.
CREATE TABLE team (
    name       VARCHAR(40)  PRIMARY KEY,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    created_by VARCHAR(64)  NOT NULL
);

CREATE TABLE app_user (
    name           VARCHAR(64)  PRIMARY KEY,
    platform_admin BOOLEAN      NOT NULL DEFAULT false,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE membership (
    team       VARCHAR(40)  NOT NULL REFERENCES team (name) ON DELETE CASCADE,
    user_name  VARCHAR(64)  NOT NULL REFERENCES app_user (name) ON DELETE CASCADE,
    role       VARCHAR(16)  NOT NULL CHECK (role IN ('admin', 'developer', 'viewer')),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (team, user_name)
);
CREATE INDEX membership_user ON membership (user_name);

-- API tokens: only the SHA-256 of a token is kept. A token outlives its user's row on purpose
-- (no foreign key): a removed user's tokens stay, revoked, so that a restart republishes their
-- tombstones.
CREATE TABLE api_token (
    id             UUID         PRIMARY KEY,
    user_name      VARCHAR(64)  NOT NULL,
    name           VARCHAR(64)  NOT NULL,
    sha256         CHAR(64)     NOT NULL UNIQUE,
    created_at     TIMESTAMPTZ  NOT NULL,
    created_by     VARCHAR(64)  NOT NULL,
    expires_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    revoked_by     VARCHAR(64),
    -- set once the tombstone of an expired token is on the directory
    expiry_published_at TIMESTAMPTZ
);
CREATE INDEX api_token_user ON api_token (user_name);
CREATE INDEX api_token_expiring ON api_token (expires_at) WHERE revoked_at IS NULL AND expiry_published_at IS NULL;

-- Every audited call of every service, from berth.audit (AuditRecorded), once per event id.
CREATE TABLE audit_entry (
    event_id       VARCHAR(100)  PRIMARY KEY,
    at             TIMESTAMPTZ   NOT NULL,
    source         VARCHAR(200)  NOT NULL,
    app            VARCHAR(100),
    team           VARCHAR(100),
    actor          VARCHAR(100)  NOT NULL,
    actor_kind     VARCHAR(20)   NOT NULL,
    token_id       VARCHAR(100),
    action         VARCHAR(300)  NOT NULL,
    path           VARCHAR(2000) NOT NULL,
    remote_address VARCHAR(100),
    status         INTEGER       NOT NULL,
    outcome        VARCHAR(20)   NOT NULL
);
CREATE INDEX audit_entry_at ON audit_entry (at DESC);
CREATE INDEX audit_entry_team_at ON audit_entry (team, at DESC);
CREATE INDEX audit_entry_actor_at ON audit_entry (actor, at DESC);
CREATE INDEX audit_entry_app_at ON audit_entry (app, at DESC);
