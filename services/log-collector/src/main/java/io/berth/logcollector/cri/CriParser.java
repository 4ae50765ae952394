package io.berth.logcollector.cri;

/**
 * Parses one physical CRI line (without its newline): {@code <RFC 3339 time> <stdout|stderr> <tag> <content>},
 * where the tag is {@code F} (full) or {@code P} (partial), possibly followed by {@code :}-separated
 * extra tags as the CRI spec allows. A line that does not fit is not dropped: it becomes a
 * malformed full stdout line stamped {@code fallbackNanos}, so hostile or foreign writers lose nothing.
 */
public final class CriParser {
    private CriParser() {
    }

    public static CriLine parse(byte[] b, int from, int to, long fallbackNanos) {
        int s1 = indexOf(b, from, to, (byte) ' ');
        if (s1 > from) {
            long nanos = Timestamps.parseNanos(b, from, s1);
            int s2 = indexOf(b, s1 + 1, to, (byte) ' ');
            if (nanos != Long.MIN_VALUE && s2 > 0) {
                CriLine.Stream stream = stream(b, s1 + 1, s2);
                int tagEnd = indexOf(b, s2 + 1, to, (byte) ' ');
                // "<time> <stream> F" with nothing after it is an empty line
                int tagTo = tagEnd < 0 ? to : tagEnd;
                if (stream != null && tagTo > s2 + 1 && (b[s2 + 1] == 'P' || b[s2 + 1] == 'F')
                        && (tagTo == s2 + 2 || b[s2 + 2] == ':')) {
                    int contentStart = tagEnd < 0 ? to : tagEnd + 1;
                    return new CriLine(nanos, stream, b[s2 + 1] == 'P', b, contentStart, to, false);
                }
            }
        }
        return new CriLine(fallbackNanos, CriLine.Stream.STDOUT, false, b, from, to, true);
    }

    private static CriLine.Stream stream(byte[] b, int from, int to) {
        if (equals(b, from, to, "stdout")) {
            return CriLine.Stream.STDOUT;
        }
        if (equals(b, from, to, "stderr")) {
            return CriLine.Stream.STDERR;
        }
        return null;
    }

    private static boolean equals(byte[] b, int from, int to, String ascii) {
        if (to - from != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (b[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
