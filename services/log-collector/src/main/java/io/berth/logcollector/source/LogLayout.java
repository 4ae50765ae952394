package io.berth.logcollector.source;

import java.nio.file.Path;
import java.util.Optional;

/** Where log files sit under the log directory and whose they are. */
public interface LogLayout {

    /** How many directory levels below the log directory the files are. */
    int depth();

    /** The instance a file belongs to, or empty if the path is not a log file of this layout. */
    Optional<InstanceInfo> identify(Path logDir, Path file);

    static boolean isTopicSafe(String app) {
        return app != null && !app.isEmpty() && app.length() <= 200 && app.matches("[A-Za-z0-9._-]+");
    }
}
