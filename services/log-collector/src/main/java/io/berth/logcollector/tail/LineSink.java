package io.berth.logcollector.tail;

import io.berth.logcollector.cri.JoinedLine;

/** Where a tailed file's logical lines go. */
public interface LineSink {

    /**
     * Ships one line. May block while too much is in flight (so reading stops when Kafka does);
     * once Kafka acknowledges the line, {@code file}'s acknowledged offset may move to
     * {@code checkpointOffset}. {@code endOffset} is where the line ends in the file, which with
     * its time identifies it.
     */
    void ship(TailedFile file, JoinedLine line, long endOffset, long checkpointOffset) throws InterruptedException;
}
