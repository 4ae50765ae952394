package io.berth.logcollector.cri;

/**
 * One logical line: the pieces of a stream joined up to its F piece. The bytes are a slice that
 * is valid only until the next call to the joiner.
 *
 * @param truncated longer than the configured maximum: the rest was dropped
 * @param malformed the physical line had no CRI header (see {@link CriParser})
 */
public record JoinedLine(long epochNanos, CriLine.Stream stream, byte[] bytes, int from, int to, boolean truncated,
        boolean malformed) {
}
