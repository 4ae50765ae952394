package io.berth.events.audit;

import io.berth.events.EventData;
import io.berth.events.Require;
import java.time.Instant;

/**
 * One mutating API call of any Berth service: who made it, to what, from where, and how it ended.
 * Published on {@code berth.audit} by the audit filter of services/common after the answer is
 * known, and stored by the identity service. The CloudEvent's {@code source} names the service.
 *
 * @param app the app the call acted on, or {@link #NO_APP} when it names none (a call on a team,
 *     a token, or a listing). It is the record's key. It is never the team's name, so that a query
 *     by app can tell an app from a team that has the same name.
 * @param team the team of the app, or the team the call names (an app's creation); null when none
 * @param actor the user's name for a member's token, {@code admin} for the platform's bootstrap
 *     token, {@code service} for the services' token
 * @param actorKind {@code member}, {@code platform-admin} (the bootstrap token or a user who is a
 *     platform admin) or {@code service}
 * @param tokenId the id of the member's token (never the token); null for the admin and service tokens
 * @param action the HTTP method and the route template, {@code POST /api/apps/{app}/scale}
 * @param path the path that was called, {@code /api/apps/shop/scale}
 * @param remoteAddress the caller's IP address as the service saw it
 * @param status the HTTP status of the answer
 * @param outcome {@code ok} (status below 400), {@code denied} (401, 403, 429, or a 404 that hid another
 *     team's app) or {@code failed} (any other error)
 * @param at when the answer was sent
 */
public record AuditRecorded(String app, String team, String actor, String actorKind, String tokenId, String action,
        String path, String remoteAddress, int status, String outcome, Instant at) implements EventData {

    public static final String NO_APP = "-";
    public static final String OK = "ok";
    public static final String DENIED = "denied";
    public static final String FAILED = "failed";

    public AuditRecorded {
        Require.text(app, "app");
        Require.text(actor, "actor");
        Require.text(actorKind, "actorKind");
        Require.text(action, "action");
        Require.text(path, "path");
        Require.text(outcome, "outcome");
        Require.present(at, "at");
    }
}
