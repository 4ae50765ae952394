package io.berth.console;

import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The console's front page: for now, the platform's services and whether each is ready. */
@Path("/")
public class ConsolePage {
    private final Template index;
    private final PlatformHealth health;

    ConsolePage(Template index, PlatformHealth health) {
        this.index = index;
        this.health = health;
    }

    @GET
    @Blocking
    @Produces(MediaType.TEXT_HTML)
    public String get() {
        return index.data("services", health.check()).render();
    }
}
