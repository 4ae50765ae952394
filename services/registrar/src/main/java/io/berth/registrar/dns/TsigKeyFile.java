package io.berth.registrar.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * Reads a BIND key file ({@code key "name" { algorithm hmac-sha256; secret "..."; };}), the format
 * {@code tsig-keygen} writes, so the secret lives in one file readable only by the platform.
 */
public final class TsigKeyFile {
    private static final Pattern KEY = Pattern.compile(
            "key\\s+\"?([^\"\\s{]+)\"?\\s*\\{[^}]*?algorithm\\s+([\\w-]+)\\s*;[^}]*?secret\\s+\"([^\"]+)\"\\s*;",
            Pattern.DOTALL);

    private TsigKeyFile() {
    }

    public static TSIG read(Path file) throws IOException {
        String text = Files.readString(file);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            throw new IOException("no TSIG key (key \"name\" { algorithm ...; secret \"...\"; };) in " + file);
        }
        try {
            return new TSIG(Name.fromString(m.group(2), Name.root), Name.fromString(m.group(1), Name.root), m.group(3));
        } catch (TextParseException e) {
            throw new IOException("bad TSIG key in " + file + ": " + e.getMessage(), e);
        }
    }
}
