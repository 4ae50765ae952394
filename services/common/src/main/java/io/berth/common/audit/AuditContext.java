package io.berth.common.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * What the audit record of the current call says it was about, where the path alone does not tell:
 * the app and team of a creation named in its body, or the team of an app path. A resource or a
 * filter sets it; {@link AuditFilter} reads it when the answer goes out.
 */
@RequestScoped
public class AuditContext {
    private String app;
    private String team;
    private boolean hidden;

    /** The call acts on {@code app} of {@code team} (either may be null). */
    public void about(String app, String team) {
        if (app != null) {
            this.app = app;
        }
        if (team != null) {
            this.team = team;
        }
    }

    /** The call was answered 404 because the app belongs to another team: a denial, not a failure. */
    public void hidden() {
        this.hidden = true;
    }

    public String app() {
        return app;
    }

    public String team() {
        return team;
    }

    public boolean wasHidden() {
        return hidden;
    }
}
