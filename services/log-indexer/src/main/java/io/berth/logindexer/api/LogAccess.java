package io.berth.logindexer.api;

import io.berth.common.access.AppAccess;
import io.berth.common.auth.Caller;
import io.berth.common.directory.TokenDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Who may read which app's logs: common's {@link AppAccess}, the one place that decides (decision 6).
 * The platform admin and the services read every app; a member reads their teams' apps, and another
 * team's app is answered 404 with the words of an app that does not exist, so its name does not
 * leak. Common's AppAccessFilter already refuses such a call before the endpoint runs, from the raw
 * {@code {app}}; this checks again with the app as the endpoint parsed it, before a search, an export
 * or a live tail starts, so that no byte of another team's logs is written whichever check a future
 * change moves.
 */
@ApplicationScoped
public class LogAccess {
    private final AppAccess access;
    private final TokenDirectory tokens;
    private final Clock clock = Clock.systemUTC();

    LogAccess(AppAccess access, TokenDirectory tokens) {
        this.access = access;
        this.tokens = tokens;
    }

    /** Throws the 404 problem unless the caller of this request may read {@code app}'s logs. */
    public void requireRead(String app) {
        access.require(app, false);
    }

    /**
     * Whether the caller of this request may still read {@code app}'s logs, asked again later from
     * another thread (a live tail's): false once their token is revoked or expired, or the app has
     * left their teams (deleted, or given to another team), so that a stream opened before stops.
     */
    public BooleanSupplier stillReadable(String app) {
        Optional<Caller> caller = access.caller();
        // only a token the directory holds now can be revoked later (the bootstrap admin and service
        // tokens are configured, an identity from another mechanism has no directory entry)
        Optional<String> directoryToken = caller.flatMap(Caller::tokenId).filter(id -> tokens.stillValid(id, clock.instant()));
        return () -> directoryToken.map(id -> tokens.stillValid(id, clock.instant())).orElse(true)
                && access.decide(caller, app, false) != AppAccess.Verdict.HIDDEN;
    }
}
