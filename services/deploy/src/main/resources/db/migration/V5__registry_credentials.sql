-- A team's credentials for one image registry (host[:port]): the agent pulls the team's image
-- releases with them. The password is sealed (enc:v1:..., SecretCipher) and opened only to start
-- an instance; the API never shows it.
CREATE TABLE registry_credential (
    id         VARCHAR(300) PRIMARY KEY,
    team       VARCHAR(40)  NOT NULL,
    server     VARCHAR(255) NOT NULL,
    username   VARCHAR(256) NOT NULL,
    password   TEXT         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (team, server)
);
