package io.berth.gateway.reconcile;

import io.berth.gateway.haproxy.HaproxyRuntimeApi;
import io.berth.gateway.render.RenderSettings;
import io.berth.gateway.render.ServerLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Applies pool changes through the Runtime API, the only way membership changes (no reload). A change
 * HAProxy refuses is logged and skipped; the next reconcile computes it again from what HAProxy then
 * reports, so nothing here needs to be retried.
 */
@ApplicationScoped
public class PoolChangeApplier {
    private static final Logger LOG = Logger.getLogger(PoolChangeApplier.class);

    private final HaproxyRuntimeApi runtime;
    private final RenderSettings settings;

    PoolChangeApplier(HaproxyRuntimeApi runtime, RenderSettings settings) {
        this.runtime = runtime;
        this.settings = settings;
    }

    /** @return how many changes HAProxy accepted */
    public int apply(List<PoolChange> changes) {
        int applied = 0;
        for (PoolChange change : changes) {
            try {
                apply(change);
                applied++;
                LOG.debugf("applied %s", change);
            } catch (IOException e) {
                LOG.warnf("HAProxy refused %s: %s", change, e.getMessage());
            }
        }
        return applied;
    }

    private void apply(PoolChange change) throws IOException {
        String server = change.backend() + "/" + change.server();
        if (change instanceof PoolChange.Add add) {
            // a dynamic server starts in maintenance with its health check off
            expect(run("add server " + server + " " + ServerLine.addressAndOptions(add.member(), settings)),
                    "New server registered");
            run("enable health " + server);
            run("enable server " + server);
            LOG.infof("added %s (%s:%d, weight %d)", server, add.member().host(), add.member().port(),
                    add.member().weight());
        } else if (change instanceof PoolChange.SetAddress address) {
            run("set server " + server + " addr " + address.host() + " port " + address.port());
            LOG.infof("moved %s to %s:%d", server, address.host(), address.port());
        } else if (change instanceof PoolChange.SetWeight weight) {
            run("set server " + server + " weight " + weight.weight());
            LOG.infof("weight of %s is now %d", server, weight.weight());
        } else if (change instanceof PoolChange.MakeReady) {
            run("set server " + server + " state ready");
            LOG.infof("%s is ready again", server);
        } else if (change instanceof PoolChange.Drain) {
            run("set server " + server + " state drain");
            LOG.infof("draining %s", server);
        } else if (change instanceof PoolChange.Remove remove) {
            run("set server " + server + " state maint");
            if (remove.cutOff()) {
                run("shutdown sessions server " + server);
                LOG.warnf("%s did not drain within the drain period; its sessions are cut", server);
            }
            expect(run("del server " + server), "Server deleted");
            LOG.infof("removed %s", server);
        }
    }

    private String run(String command) throws IOException {
        String answer = runtime.execute(command).trim();
        String lower = answer.toLowerCase(Locale.ROOT);
        if (lower.contains("no such") || lower.contains("unknown") || lower.contains("require")
                || lower.contains("cannot") || lower.contains("invalid") || lower.contains("failed")
                || lower.contains("error") || lower.contains("still has")) {
            throw new IOException("'" + command + "': " + answer);
        }
        return answer;
    }

    private static void expect(String answer, String prefix) throws IOException {
        if (!answer.startsWith(prefix)) {
            throw new IOException(answer);
        }
    }
}
