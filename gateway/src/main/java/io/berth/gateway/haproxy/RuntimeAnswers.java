package io.berth.gateway.haproxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the Runtime API's table answers ({@code show servers state}, {@code show stat}). Pure. */
public final class RuntimeAnswers {
    private RuntimeAnswers() {
    }

    /** {@code show servers state}: a version line, a '#'-header of space-separated names, one row per server. */
    public static List<Map<String, String>> serversState(String answer) {
        return table(answer, " ");
    }

    /** {@code show stat}: a '# '-header of comma-separated names, one CSV row per proxy/server. */
    public static List<Map<String, String>> stat(String answer) {
        return table(answer, ",");
    }

    private static List<Map<String, String>> table(String answer, String separator) {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        for (String line : answer.split("\n")) {
            if (line.startsWith("#")) {
                header = line.substring(1).trim().split(separator.equals(" ") ? "\\s+" : separator, -1);
                continue;
            }
            if (header == null || line.isBlank()) {
                continue;
            }
            String[] cells = line.trim().split(separator.equals(" ") ? "\\s+" : separator, -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The servers of Berth's app backends, keyed by backend then server name. Backends that are not an
     * app's (berth_no_app, stats) are left out: the controller never touches them.
     */
    public static Map<String, Map<String, ServerStatus>> appServers(String serversStateAnswer, String statAnswer) {
        Map<String, Map<String, String>> statByServer = new HashMap<>();
        for (Map<String, String> row : stat(statAnswer)) {
            String sv = row.get("svname");
            if (sv != null && !sv.equals("BACKEND") && !sv.equals("FRONTEND")) {
                statByServer.put(row.get("pxname") + "/" + sv, row);
            }
        }
        Map<String, Map<String, ServerStatus>> servers = new LinkedHashMap<>();
        for (Map<String, String> row : serversState(serversStateAnswer)) {
            String backend = row.get("be_name");
            String name = row.get("srv_name");
            if (backend == null || name == null || HaproxyNames.appOf(backend).isEmpty()) {
                continue;
            }
            Map<String, String> stat = statByServer.getOrDefault(backend + "/" + name, Map.of());
            servers.computeIfAbsent(backend, b -> new LinkedHashMap<>()).put(name, new ServerStatus(backend, name,
                    row.get("srv_addr"), intOf(row.get("srv_port")), intOf(row.get("srv_admin_state")),
                    intOf(row.get("srv_uweight")), stat.get("status"), stat.get("check_status"),
                    longOf(stat.get("scur")), longOf(stat.get("qcur"))));
        }
        return servers;
    }

    /** The app backends HAProxy has, even those without a server (show stat's BACKEND rows). */
    public static List<String> appBackends(String statAnswer) {
        return stat(statAnswer).stream()
                .filter(r -> "BACKEND".equals(r.get("svname")))
                .map(r -> r.get("pxname"))
                .filter(b -> b != null && HaproxyNames.appOf(b).isPresent())
                .toList();
    }

    static int intOf(String value) {
        return (int) longOf(value);
    }

    static long longOf(String value) {
        if (value == null || value.isEmpty() || value.equals("-")) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
