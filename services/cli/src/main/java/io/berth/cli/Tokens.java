package io.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI's token comes from: BERTH_TOKEN, else the token file. It is never printed. */
final class Tokens {
    private Tokens() {
    }

    static String resolve(String fromEnv, String file) {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no token: set BERTH_TOKEN or make " + file + " readable ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
