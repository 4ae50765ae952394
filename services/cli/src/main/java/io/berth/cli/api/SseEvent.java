package io.berth.cli.api;

/** One Server-Sent Event: its name ("message" when none was sent), id (or null) and data lines joined by \n. */
public record SseEvent(String name, String id, String data) {
}
