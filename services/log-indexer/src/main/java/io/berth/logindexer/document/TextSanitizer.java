package io.berth.logindexer.document;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Makes any bytes an instance printed safe to index and to show: invalid UTF-8 becomes U+FFFD,
 * ANSI escape sequences (colours, cursor moves) are removed, other control characters but tab
 * become U+FFFD, unpaired surrogates too, and an over-long message is cut on a character boundary.
 */
public final class TextSanitizer {
    // CSI sequences (ESC [ ... final byte), OSC sequences (ESC ] ... BEL or ESC \), and two-byte escapes
    private static final Pattern ANSI = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?|\u001B[@-Z\\\\-_]|\u009B[0-?]*[ -/]*[@-~]");

    private TextSanitizer() {
    }

    public record Text(String value, boolean truncated) {
    }

    /** Bytes as UTF-8, malformed sequences replaced rather than refused. */
    public static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }

    /** Cleans a message and cuts it to {@code maxChars}; one trailing newline is dropped. */
    public static Text clean(String raw, int maxChars) {
        String text = raw;
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
        }
        boolean truncated = false;
        // cut before cleaning too, so a 1 MB line costs no more than a long one (the regex is linear anyway)
        if (text.length() > maxChars * 2) {
            text = text.substring(0, maxChars * 2);
            truncated = true;
        }
        if (text.indexOf('\u001B') >= 0 || text.indexOf('\u009B') >= 0) {
            text = ANSI.matcher(text).replaceAll("");
        }
        text = replaceControls(text);
        if (text.length() > maxChars) {
            int end = maxChars;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            text = text.substring(0, end);
            truncated = true;
        }
        return new Text(text, truncated);
    }

    /** Strings inside JSON fields: only what would break JSON or Lucene (unpaired surrogates, NUL). */
    public static String cleanValue(String value) {
        return needsCleaning(value) ? replaceControls(value) : value;
    }

    private static boolean needsCleaning(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String replaceControls(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            bad = Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || (c >= 0x80 && c < 0xA0);
            if (bad && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? s : out.toString();
    }
}
