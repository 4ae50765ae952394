package io.berth.events.audit;

import io.berth.events.EventData;
import io.berth.events.Require;

/** Who did what to which app, from where, and how it ended. */
public record AuditRecorded(String app, String actor, String action, String remoteAddress, String outcome)
        implements EventData {
    public AuditRecorded {
        Require.text(app, "app");
        Require.text(actor, "actor");
        Require.text(action, "action");
        Require.text(outcome, "outcome");
    }
}
