package io.berth.logcollector.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file's identity, device and inode: it survives a rename (rotation), so a rotated file is
 * finished rather than read again, and a new file at the old path is a new file.
 */
public record FileKey(long dev, long ino) {

    public static FileKey of(Path file) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        return new FileKey(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue());
    }

    @Override
    public String toString() {
        return dev + ":" + ino;
    }
}
