package io.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandWordsTest {
    @Test
    void wordsAndQuotesAsAShellSplitsThem() {
        assertEquals(List.of("java", "-jar", "app.jar"), CommandWords.split("  java  -jar\tapp.jar "));
        assertEquals(List.of("sh", "-c", "echo hi; exit 1"), CommandWords.split("sh -c 'echo hi; exit 1'"));
        assertEquals(List.of("echo", "a \"b\" $HOME"), CommandWords.split("echo \"a \\\"b\\\" $HOME\""));
        assertEquals(List.of("a b", "c"), CommandWords.split("a\\ b c"));
        assertEquals(List.of("", "x"), CommandWords.split("'' x"));
        assertEquals(List.of("it's"), CommandWords.split("\"it's\""));
        assertEquals(List.of(), CommandWords.split("   "));
    }

    @Test
    void anUnclosedQuoteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("sh -c 'echo"));
    }
}
