CREATE TABLE policy (
    id           BIGSERIAL        PRIMARY KEY,
    app          VARCHAR(40)      NOT NULL,
    metric       VARCHAR(40)      NOT NULL,
    target       DOUBLE PRECISION NOT NULL,
    min_replicas INTEGER          NOT NULL CHECK (min_replicas >= 0),
    max_replicas INTEGER          NOT NULL CHECK (max_replicas >= min_replicas),
    created_at   TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX policy_app ON policy (app);
