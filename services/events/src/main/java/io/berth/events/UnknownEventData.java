package io.berth.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The payload of an event whose type this build does not know (a newer producer during a rolling
 * upgrade). Consumers skip it instead of failing, so old and new services can run side by side.
 */
public record UnknownEventData(String app, JsonNode raw) implements EventData {
}
