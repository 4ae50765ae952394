package io.berth.logcollector.cri;

/**
 * One physical line of a CRI log file: {@code <time> <stream> <tag> <content>}. The content is a
 * slice of the reader's buffer (not copied) and is only valid until the reader moves on.
 *
 * @param epochNanos the writer's timestamp, nanoseconds since the epoch (UTC)
 * @param partial    tag P: the line goes on in the next piece of the same stream
 * @param malformed  no valid CRI header: the whole line is content, stamped with the reading time
 */
public record CriLine(long epochNanos, Stream stream, boolean partial, byte[] buffer, int contentStart,
        int contentEnd, boolean malformed) {

    public enum Stream {
        STDOUT("stdout"), STDERR("stderr");

        private final String label;

        Stream(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public int contentLength() {
        return contentEnd - contentStart;
    }
}
