package io.berth.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private static List<SseEvent> parse(String stream) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        stream.lines().forEach(parser::line);
        return events;
    }

    @Test
    void eventsNamesIdsAndData() {
        List<SseEvent> events = parse("""
                : keep-alive

                event: ready
                data: {"partitions":3}

                event:log
                id: t-0-7
                data: {"message":"a"}

                data: first
                data:second

                """);
        assertEquals(List.of(new SseEvent("ready", null, "{\"partitions\":3}"),
                new SseEvent("log", "t-0-7", "{\"message\":\"a\"}"),
                new SseEvent("message", "t-0-7", "first\nsecond")), events);
    }

    @Test
    void onlyOneLeadingSpaceIsDroppedAndUnknownFieldsAreIgnored() {
        assertEquals(List.of(new SseEvent("message", null, "  two spaces")), parse("retry: 100\nfoo: bar\ndata:   two spaces\n\n"));
    }

    @Test
    void anEventWithoutItsBlankLineIsNotDispatched() {
        assertEquals(List.of(), parse("data: cut off"));
        assertEquals(List.of(), parse("event: ready\n\n"));
    }

    @Test
    void theListenerStopsTheStream() {
        List<SseEvent> seen = new ArrayList<>();
        SseParser parser = new SseParser(e -> seen.add(e) && false);
        parser.line("data: 1");
        assertFalse(parser.line(""));
        assertEquals(1, seen.size());
    }
}
