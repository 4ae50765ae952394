package io.berth.common.directory;

import io.berth.events.EventCodec;
import io.berth.events.Topics;
import io.berth.events.directory.AppOwner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/** Which team owns each app, from {@code berth.app-owners}: key = app, value = an {@link AppOwner} as JSON. */
@ApplicationScoped
public class AppOwners extends CompactedTopicDirectory<AppOwner> {

    public AppOwners() {
        super(Topics.APP_OWNERS);
    }

    @Override
    protected AppOwner parse(String key, byte[] value) throws IOException {
        AppOwner owner = EventCodec.mapper().readValue(value, AppOwner.class);
        if (!owner.app().equals(key)) {
            throw new IOException("the record names app '" + owner.app() + "'");
        }
        return owner;
    }

    public Optional<String> teamOf(String app) {
        return get(app).map(AppOwner::team);
    }

    public Collection<AppOwner> all() {
        return values();
    }

    /** The publisher (deploy) has just published this owner: serve it before it comes back from Kafka. */
    public void learn(AppOwner owner) {
        putLocally(owner.app(), owner);
    }

    /** The publisher has just published the app's tombstone. */
    public void forget(String app) {
        putLocally(app, null);
    }
}
