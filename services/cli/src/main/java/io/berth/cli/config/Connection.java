package io.berth.cli.config;

import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the CLI talks to and with which token, decided once per command.
 * The address: {@code --api}, else {@code BERTH_API}, else the saved login, else the console on this machine.
 * The token: {@code BERTH_TOKEN}, else {@code --token-file} (or {@code BERTH_TOKEN_FILE}), else the saved
 * login, else the platform admin's token file that {@code bin/berth-dev up} wrote on this machine, so
 * that {@code berth apps list} works right after {@code up} with no login at all.
 */
public record Connection(String api, String token, String tokenSource) {
    public static final String DEFAULT_API = "http://127.0.0.1:8080";

    public static Connection resolve(String apiOption, String tokenFileOption, Map<String, String> env) {
        CliConfig saved = CliConfig.read(CliConfig.file(env));
        String api = firstSet(apiOption, env.get("BERTH_API"), saved.api(), DEFAULT_API);

        String fromEnv = env.get("BERTH_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Connection(api, fromEnv.trim(), "BERTH_TOKEN");
        }
        String tokenFile = firstSet(tokenFileOption, env.get("BERTH_TOKEN_FILE"));
        if (tokenFile != null) {
            return new Connection(api, readToken(Path.of(tokenFile)), tokenFile);
        }
        if (saved.token() != null) {
            return new Connection(api, saved.token(), CliConfig.file(env).toString());
        }
        for (Path adminToken : adminTokenFiles(env)) {
            if (Files.isReadable(adminToken)) {
                return new Connection(api, readToken(adminToken), adminToken.toString());
            }
        }
        throw new CliException("not logged in: run `berth login`, or set BERTH_TOKEN", ExitCodes.USAGE);
    }

    /** Where bin/berth-dev keeps the admin token: $BERTH_HOME when set, else its default as root, else as any other user. */
    static List<Path> adminTokenFiles(Map<String, String> env) {
        List<Path> files = new ArrayList<>();
        String berthHome = env.get("BERTH_HOME");
        if (berthHome != null && !berthHome.isBlank()) {
            return List.of(Path.of(berthHome, "admin-token"));
        }
        files.add(Path.of("/var/lib/berth/admin-token"));
        String dataHome = env.get("XDG_DATA_HOME");
        Path data = dataHome != null && !dataHome.isBlank() ? Path.of(dataHome)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
        files.add(data.resolve("berth").resolve("admin-token"));
        return files;
    }

    public static String readToken(Path file) {
        try {
            String token = Files.readString(file).trim();
            if (token.isEmpty()) {
                throw new CliException(file + " is empty: it should hold a token", ExitCodes.USAGE);
            }
            return token;
        } catch (IOException e) {
            throw new CliException("cannot read the token file " + file + " (" + e.getClass().getSimpleName() + ")",
                    ExitCodes.USAGE);
        }
    }

    @Override
    public String toString() {
        return "Connection[api=" + api + ", token from " + tokenSource + "]";
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
