-- desired state of an app: which release runs and how many instances
ALTER TABLE app ADD COLUMN replicas        INTEGER NOT NULL DEFAULT 0 CHECK (replicas >= 0);
ALTER TABLE app ADD COLUMN current_release INTEGER;
ALTER TABLE app ADD COLUMN target_release  INTEGER;
ALTER TABLE app ADD COLUMN restart_serial  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app ADD COLUMN deleting        BOOLEAN NOT NULL DEFAULT false;

-- releases are immutable: v1, v2, ... per app
CREATE TABLE release (
    id         BIGSERIAL   PRIMARY KEY,
    app        VARCHAR(40) NOT NULL REFERENCES app (name) ON DELETE CASCADE,
    version    INTEGER     NOT NULL CHECK (version >= 1),
    spec       TEXT        NOT NULL,
    created_by VARCHAR(80) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (app, version)
);

-- a rollout is a stored state machine, so a restarted deploy service resumes it
CREATE TABLE rollout (
    id           UUID        PRIMARY KEY,
    app          VARCHAR(40) NOT NULL REFERENCES app (name) ON DELETE CASCADE,
    kind         VARCHAR(20) NOT NULL,
    from_release INTEGER,
    to_release   INTEGER     NOT NULL,
    replicas     INTEGER     NOT NULL,
    state        VARCHAR(20) NOT NULL,
    ready        INTEGER     NOT NULL DEFAULT 0,
    reason       TEXT,
    started_at   TIMESTAMPTZ NOT NULL,
    progress_at  TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX rollout_app ON rollout (app, started_at DESC);
CREATE UNIQUE INDEX rollout_one_active ON rollout (app) WHERE state IN ('PENDING', 'PROGRESSING');

CREATE TABLE history (
    id      BIGSERIAL    PRIMARY KEY,
    app     VARCHAR(40)  NOT NULL REFERENCES app (name) ON DELETE CASCADE,
    at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    kind    VARCHAR(20)  NOT NULL,
    summary TEXT         NOT NULL,
    actor   VARCHAR(80)  NOT NULL
);
CREATE INDEX history_app ON history (app, id DESC);

-- a POST repeated with the same Idempotency-Key gets the first answer again
CREATE TABLE idempotency_key (
    key          VARCHAR(200) NOT NULL,
    principal    VARCHAR(80)  NOT NULL,
    request_hash VARCHAR(64)  NOT NULL,
    status       INTEGER      NOT NULL,
    location     TEXT,
    body         TEXT         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
