package io.berth.registrar.consistency;

import io.berth.events.instance.InstanceState;
import io.berth.registrar.registry.Registration;
import io.berth.registrar.registry.RegistryEntry;
import io.berth.registrar.runtime.RuntimeInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The consistency monitor's verdict, as a pure function of the runtime and what each backend holds. */
public final class Consistency {
    private Consistency() {
    }

    public static ConsistencyReport report(String app, Instant at, List<RuntimeInstance> instances,
            List<Registration> desired, Map<String, Observed> backends) {
        int ready = (int) instances.stream().filter(i -> i.state() == InstanceState.READY).count();
        int unhealthy = (int) instances.stream()
                .filter(i -> i.state() == InstanceState.UNREADY || i.state() == InstanceState.FAILED).count();
        int registered = (int) desired.stream()
                .filter(r -> backends.values().stream().allMatch(o -> o.holdsAll(r.instance()))).count();
        List<Mismatch> mismatches = new ArrayList<>();
        backends.forEach((backend, observed) -> {
            if (observed.error() != null) {
                mismatches.add(new Mismatch(null, backend, Mismatch.UNREACHABLE, observed.error()));
                return;
            }
            for (RegistryEntry e : observed.desired()) {
                if (!observed.actual().contains(e)) {
                    mismatches.add(new Mismatch(e.instance(), backend, Mismatch.MISSING,
                            backend + " lacks " + e + " (" + forWhom(e, instances) + ")"));
                }
            }
            for (RegistryEntry e : observed.actual()) {
                if (!observed.desired().contains(e)) {
                    mismatches.add(new Mismatch(e.instance(), backend, Mismatch.UNEXPECTED,
                            backend + " holds " + e + " but " + whyNot(e, instances)));
                }
            }
        });
        mismatches.sort(Comparator.comparing(Mismatch::backend)
                .thenComparing(m -> m.instance() == null ? "" : m.instance())
                .thenComparing(Mismatch::detail));
        return new ConsistencyReport(app, at, instances.size(), ready, registered, unhealthy, mismatches.isEmpty(),
                List.copyOf(mismatches));
    }

    private static String forWhom(RegistryEntry e, List<RuntimeInstance> instances) {
        return e.instance() == null ? "needed by the app's ready instances"
                : "instance " + e.instance() + " is " + state(e.instance(), instances).map(Enum::name).orElse("READY");
    }

    private static String whyNot(RegistryEntry e, List<RuntimeInstance> instances) {
        if (e.instance() == null) {
            return "no ready instance needs it";
        }
        return state(e.instance(), instances).map(s -> "instance " + e.instance() + " is " + s + ", not READY")
                .orElse("instance " + e.instance() + " is unknown to the runtime");
    }

    private static Optional<InstanceState> state(String instance, List<RuntimeInstance> instances) {
        return instances.stream().filter(i -> i.id().equals(instance)).map(RuntimeInstance::state).findFirst();
    }
}
