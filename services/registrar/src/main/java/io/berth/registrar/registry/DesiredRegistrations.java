package io.berth.registrar.registry;

import io.berth.events.instance.InstanceState;
import io.berth.registrar.runtime.RuntimeInstance;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the registry should hold, as a pure function of the runtime's instances: an instance is
 * registered while it is READY (its health check passes) and has an address. Every other state
 * (Starting, Unready, Terminating, Failed, gone) means not registered, so a Terminating instance
 * leaves the registry at once, during its drain and before its SIGTERM.
 */
public final class DesiredRegistrations {
    public static final int DEFAULT_WEIGHT = 100;
    public static final int MAX_WEIGHT = 256;

    private DesiredRegistrations() {
    }

    /** The registrations of {@code app}, ordered by instance id. */
    public static List<Registration> forApp(String app, Collection<RuntimeInstance> instances) {
        return instances.stream()
                .filter(i -> i.app().equals(app))
                .filter(DesiredRegistrations::registrable)
                .map(DesiredRegistrations::registration)
                .sorted(Comparator.comparing(Registration::instance))
                .toList();
    }

    public static boolean registrable(RuntimeInstance i) {
        return i.state() == InstanceState.READY && i.host() != null && !i.host().isBlank() && i.port() > 0;
    }

    public static Registration registration(RuntimeInstance i) {
        return new Registration(i.app(), i.id(), i.release(), Objects.requireNonNullElse(i.team(), ""), i.host(),
                i.port(), weight(i));
    }

    /** The {@code berth.io/weight} label if it is a weight (0 to 256), else the default. */
    static int weight(RuntimeInstance i) {
        String label = i.labels().get(RuntimeInstance.WEIGHT_LABEL);
        if (label != null) {
            try {
                int w = Integer.parseInt(label.trim());
                if (w >= 0 && w <= MAX_WEIGHT) {
                    return w;
                }
            } catch (NumberFormatException ignored) {
                // not a number: the default weight
            }
        }
        return DEFAULT_WEIGHT;
    }
}
