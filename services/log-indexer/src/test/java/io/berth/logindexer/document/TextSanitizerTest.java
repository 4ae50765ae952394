package io.berth.logindexer.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextSanitizerTest {
    @Test
    void cutsOnACharacterBoundary() {
        TextSanitizer.Text t = TextSanitizer.clean("ab\uD83D\uDE00cd", 3);
        assertEquals("ab", t.value(), "an emoji is not split in half");
        assertTrue(t.truncated());
    }

    @Test
    void keepsTabsAndNewlinesInsideAMultiLineMessage() {
        assertEquals("a\tb\nc", TextSanitizer.clean("a\tb\nc\n", 100).value());
    }

    @Test
    void replacesUnpairedSurrogatesAndNul() {
        assertEquals("a\uFFFDb\uFFFD", TextSanitizer.cleanValue("a\uD800b\u0000"));
    }

    @Test
    void stripsColoursAndCursorMoves() {
        assertEquals("OK done", TextSanitizer.clean("\u001B[1;32mOK\u001B[0m done\u001B]0;title\u0007", 100).value());
    }
}
