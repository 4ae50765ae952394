-- A canary rollout runs a share of the new release beside the whole old one until it is
-- promoted or aborted: canary_weight is that share in percent while the canary phase lasts.
ALTER TABLE rollout ADD COLUMN canary_weight INTEGER;

-- CANARY is active too (paused, waiting for promote or abort): still one active rollout per app
DROP INDEX rollout_one_active;
CREATE UNIQUE INDEX rollout_one_active ON rollout (app) WHERE state IN ('PENDING', 'PROGRESSING', 'CANARY');
