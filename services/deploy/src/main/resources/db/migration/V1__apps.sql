CREATE TABLE app (
    name       VARCHAR(40)  PRIMARY KEY,
    team       VARCHAR(40)  NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX app_team ON app (team);
