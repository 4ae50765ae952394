package io.berth.events;

import io.berth.events.audit.AuditRecorded;
import io.berth.events.deployment.AppCreated;
import io.berth.events.deployment.AppDeleted;
import io.berth.events.deployment.CanaryAborted;
import io.berth.events.deployment.CanaryPromoted;
import io.berth.events.deployment.ReleaseCreated;
import io.berth.events.deployment.RolloutCompleted;
import io.berth.events.deployment.RolloutFailed;
import io.berth.events.deployment.RolloutProgressed;
import io.berth.events.deployment.RolloutStarted;
import io.berth.events.deployment.Scaled;
import io.berth.events.instance.InstanceStateChanged;
import io.berth.events.log.LogLine;
import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import io.berth.events.scaling.ScaleDecided;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of event kinds: the CloudEvents {@code type}, the schema version, the topic and the
 * payload record. A payload change that is not backwards compatible gets a new version (and a new
 * record), so consumers can tell the two apart by {@code dataschema}.
 */
public record EventType(String name, int version, String topic, Class<? extends EventData> dataClass) {

    private static final List<EventType> ALL = List.of(
            v1(Topics.DEPLOYMENTS, AppCreated.class),
            v1(Topics.DEPLOYMENTS, AppDeleted.class),
            v1(Topics.DEPLOYMENTS, ReleaseCreated.class),
            v1(Topics.DEPLOYMENTS, RolloutStarted.class),
            v1(Topics.DEPLOYMENTS, RolloutProgressed.class),
            v1(Topics.DEPLOYMENTS, RolloutCompleted.class),
            v1(Topics.DEPLOYMENTS, RolloutFailed.class),
            v1(Topics.DEPLOYMENTS, Scaled.class),
            v1(Topics.DEPLOYMENTS, CanaryPromoted.class),
            v1(Topics.DEPLOYMENTS, CanaryAborted.class),
            v1(Topics.INSTANCES, InstanceStateChanged.class),
            v1(Topics.REGISTRATIONS, InstanceRegistered.class),
            v1(Topics.REGISTRATIONS, InstanceDeregistered.class),
            v1(Topics.METRICS, BackendStats.class),
            v1(Topics.METRICS, InstanceUsage.class),
            v1(Topics.SCALING, ScaleDecided.class),
            v1(Topics.AUDIT, AuditRecorded.class),
            // log lines go to the app's own topic, so they carry no fixed one
            v1(null, LogLine.class));

    private static final Map<String, EventType> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::dataClass, Function.identity()));

    private static EventType v1(String topic, Class<? extends EventData> dataClass) {
        return new EventType("io.berth." + dataClass.getSimpleName(), 1, topic, dataClass);
    }

    public URI schema() {
        return URI.create("urn:io.berth:schema:" + dataClass.getSimpleName() + ":v" + version);
    }

    public static List<EventType> all() {
        return ALL;
    }

    public static Optional<EventType> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static EventType of(Class<?> dataClass) {
        EventType type = BY_CLASS.get(dataClass);
        if (type == null) {
            throw new InvalidEventException(dataClass.getName() + " is not a registered event payload");
        }
        return type;
    }
}
