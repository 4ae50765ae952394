package io.berth.logcollector.line;

import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a line into text that is safe to index: invalid UTF-8 becomes U+FFFD (the
 * decoder's replacement), ANSI escape sequences (colours, cursor moves, OSC titles) are removed,
 * and other control characters but tab become U+FFFD, so binary output cannot smuggle
 * terminal codes or NULs into a search index.
 */
public final class TextSanitizer {
    static final char REPLACEMENT = '\uFFFD';
    private static final char ESC = 0x1B;

    private TextSanitizer() {
    }

    public static String sanitize(byte[] b, int from, int to) {
        boolean plainAscii = true;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c < 0x20 && c != '\t' || c == 0x7F || c < 0) {
                plainAscii = false;
                break;
            }
        }
        if (plainAscii) {
            // compact Latin-1 strings are copied, not decoded: the fast path for most lines
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        return clean(new String(b, from, to - from, StandardCharsets.UTF_8));
    }

    /** Strips ANSI escapes and replaces control characters in already decoded text. */
    public static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == ESC) {
                i = skipEscape(text, i);
            } else if (c == '\u009B') {
                // the 8-bit CSI: a sequence like ESC [
                i = skipCsi(text, i + 1);
            } else if (c < 0x20 && c != '\t' || c == 0x7F) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Returns the index of the last character of the escape sequence that starts at {@code at}. */
    private static int skipEscape(String s, int at) {
        if (at + 1 >= s.length()) {
            return at;
        }
        char next = s.charAt(at + 1);
        if (next == '[') {
            return skipCsi(s, at + 2);
        }
        if (next == ']' || next == 'P' || next == '_' || next == '^') {
            // OSC/DCS/APC/PM strings end with BEL or ESC \
            for (int i = at + 2; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0x07) {
                    return i;
                }
                if (c == ESC && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                    return i + 1;
                }
            }
            return s.length() - 1;
        }
        // a two-character escape (ESC c, ESC =, ESC ( B needs one more)
        if ((next == '(' || next == ')') && at + 2 < s.length()) {
            return at + 2;
        }
        return at + 1;
    }

    /** CSI: parameter and intermediate bytes, then one final byte in 0x40..0x7E. */
    private static int skipCsi(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x40 && c <= 0x7E) {
                return i;
            }
            if (c < 0x20 || c > 0x3F && c < 0x40) {
                return i - 1;
            }
        }
        return s.length() - 1;
    }
}
