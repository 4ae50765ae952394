package io.berth.logindexer.api;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may read which app's logs. Today every authenticated caller (the admin and service tokens)
 * reads every app. Team scoping arrives with the teams issue: this is the one place it goes —
 * resolve the app's team (from the deploy service's AppCreated events) and compare it with the
 * caller's teams, answering 404 (not 403) so that other teams' app names do not leak.
 */
@ApplicationScoped
public class LogAccess {
    public void requireRead(SecurityIdentity caller, String app) {
        // hook for team scoping (see class comment); authentication itself is enforced before any endpoint runs
    }
}
