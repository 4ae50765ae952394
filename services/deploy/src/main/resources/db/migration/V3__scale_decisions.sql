-- Autoscaler decisions already applied: a ScaleDecided delivered twice scales once.
create table scale_decision (
    decision_id text primary key,
    app         text not null,
    applied_at  timestamptz not null default now()
);
