package io.berth.logcollector.checkpoint;

/**
 * How far one file has been shipped: every line that ends at or before {@code offset} is
 * acknowledged by Kafka. The fingerprint (CRC32 of the file's first {@code fingerprintLength}
 * bytes) tells a reused inode from the file it once was.
 */
public record Checkpoint(long dev, long ino, String path, long offset, int fingerprintLength, long fingerprint) {
}
