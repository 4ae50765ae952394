-- One autoscaling policy document per app (metric targets, bounds, schedules, behaviour),
-- validated as a whole when it is submitted; the first table (one row per metric) is replaced.
DROP TABLE policy;

CREATE TABLE autoscaling_policy (
    app        VARCHAR(40)  PRIMARY KEY,
    spec       TEXT         NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL,
    updated_by VARCHAR(200) NOT NULL
);

-- Every decision, with its inputs and rule, explained through the API. published: Kafka has it
-- (a decision stored but not yet published is published again after a restart, same id).
CREATE TABLE decision (
    id            UUID             PRIMARY KEY,
    app           VARCHAR(40)      NOT NULL,
    decided_at    TIMESTAMPTZ      NOT NULL,
    from_replicas INTEGER          NOT NULL,
    to_replicas   INTEGER          NOT NULL,
    reason        TEXT             NOT NULL,
    inputs        TEXT             NOT NULL,
    dry_run       BOOLEAN          NOT NULL,
    published     BOOLEAN          NOT NULL
);
CREATE INDEX decision_app_time ON decision (app, decided_at DESC);
