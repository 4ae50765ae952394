package io.berth.console.metrics;

import io.berth.common.access.AppAccess;
import io.berth.console.readmodel.ReadModels;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether an app exists for the console: its deploy history or the app-owner directory names it.
 * Another team's app never gets this far (common's filter on {@code {app}} answers 404 first); an app
 * nobody knows gets the same 404, so the platform admin sees it too.
 */
@ApplicationScoped
public class KnownApps {
    private final ReadModels models;
    private final AppAccess access;

    KnownApps(ReadModels models, AppAccess access) {
        this.models = models;
        this.access = access;
    }

    public void require(String app) {
        if (models.history(app).isEmpty() && access.teamOf(app).isEmpty()) {
            throw AppAccess.notFound(app);
        }
    }
}
