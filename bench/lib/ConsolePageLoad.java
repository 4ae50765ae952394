import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How long the console's apps page takes in a real browser: Debian's headless Chromium, driven
 * through the DevTools protocol (JDK WebSocket, no other dependency). Signs the tab in with the
 * token (sessionStorage, as the login page does), then loads {@code #/apps} LOADS times as a full
 * page load and reads the page's own performance mark "berth:apps-painted" (the frame after the
 * table is written), i.e. milliseconds from navigation start to the painted table.
 *
 * java ConsolePageLoad.java CONSOLE_URL TOKEN TEAM ROWS LOADS
 * prints: one line per load, then median and worst
 */
public class ConsolePageLoad {
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern VALUE = Pattern.compile("\"value\":(\"(?:[^\"\\\\]|\\\\.)*\"|[-0-9.]+|true|false|null)");

    public static void main(String[] args) throws Exception {
        String console = args[0].endsWith("/") ? args[0] : args[0] + "/";
        String token = args[1];
        String team = args[2];
        int rows = Integer.parseInt(args[3]);
        int loads = Integer.parseInt(args[4]);
        if (!URI.create(console).getHost().equals("127.0.0.1")) {
            throw new IllegalArgumentException("the browser stays on loopback");
        }
        Path profile = Files.createTempDirectory("berth-bench-chromium-");
        Process chromium = new ProcessBuilder("/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--window-size=1280,800",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Cdp page = Cdp.connect(pageSocket(profile));
            page.call("Page.enable", "{}");
            // sign the tab in as the login page would, on the console's origin
            page.navigate(console + "#/login");
            page.evaluate("sessionStorage.setItem('berth.token', " + quote(token) + "); sessionStorage.setItem('berth.team', "
                    + quote(team) + "); location.hash = '#/apps'; true");
            List<Double> painted = new ArrayList<>();
            for (int i = 0; i < loads; i++) {
                // a full page load each time: the marks start again at the new document's navigation
                page.reload();
                String mark = page.awaitValue("(() => { const m = performance.getEntriesByName('berth:apps-painted')[0];"
                        + " return m ? m.startTime + '/' + m.detail.rows : null; })()", Duration.ofSeconds(30));
                String[] parts = mark.split("/");
                if (Integer.parseInt(parts[1]) != rows) {
                    throw new IllegalStateException("the page showed " + parts[1] + " apps, expected " + rows);
                }
                double ms = Double.parseDouble(parts[0]);
                painted.add(ms);
                System.out.printf("load %d: %d apps painted %.1f ms after navigation start%n", i + 1, rows, ms);
            }
            Collections.sort(painted);
            System.out.printf("apps page, %d apps, %d loads: median %.1f ms, worst %.1f ms%n", rows, loads,
                    painted.get(painted.size() / 2), painted.get(painted.size() - 1));
            page.close();
        } finally {
            chromium.destroy();
            chromium.waitFor(5, TimeUnit.SECONDS);
            chromium.destroyForcibly();
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The first page's DevTools socket: Chromium writes its port into DevToolsActivePort of the profile. */
    private static URI pageSocket(Path profile) throws Exception {
        Path active = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(active) || Files.readAllLines(active).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Chromium did not open its DevTools port");
            }
            Thread.sleep(50);
        }
        String port = Files.readAllLines(active).get(0).trim();
        String list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"type\":\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\":\\s*\"([^\"]+)\"").matcher(list);
        if (!m.find()) {
            Matcher any = Pattern.compile("\"webSocketDebuggerUrl\":\\s*\"(ws://[^\"]+/page/[^\"]+)\"").matcher(list);
            if (!any.find()) {
                throw new IllegalStateException("no page in " + list);
            }
            return URI.create(any.group(1));
        }
        return URI.create(m.group(1));
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A DevTools protocol session on one page: numbered calls, each answered by the message with its id. */
    static final class Cdp implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
        private WebSocket socket;

        static Cdp connect(URI uri) {
            Cdp cdp = new Cdp();
            cdp.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, cdp).join();
            return cdp;
        }

        String call(String method, String params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<String> answer = new CompletableFuture<>();
            pending.put(id, answer);
            socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).join();
            String message = answer.get(30, TimeUnit.SECONDS);
            if (message.contains("\"error\":")) {
                throw new IllegalStateException(method + ": " + message);
            }
            return message;
        }

        /** Navigates and waits for the new document's load event. */
        void navigate(String url) throws Exception {
            loaded = new CompletableFuture<>();
            call("Page.navigate", "{\"url\":" + quote(url) + "}");
            loaded.get(30, TimeUnit.SECONDS);
        }

        /** Reloads and waits for the new document's load event, so that nothing is read from the old one. */
        void reload() throws Exception {
            loaded = new CompletableFuture<>();
            call("Page.reload", "{}");
            loaded.get(30, TimeUnit.SECONDS);
        }

        String evaluate(String expression) throws Exception {
            String answer = call("Runtime.evaluate", "{\"expression\":" + quote(expression) + ",\"returnByValue\":true}");
            Matcher m = VALUE.matcher(answer);
            return m.find() ? m.group(1) : null;
        }

        /** Evaluates until the expression gives a string; returns it. */
        String awaitValue(String expression, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String value = evaluate(expression);
                if (value != null && value.startsWith("\"")) {
                    return value.substring(1, value.length() - 1);
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("no value of " + expression + " within " + timeout);
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                Matcher id = ID.matcher(message);
                if (message.startsWith("{\"id\":") && id.find()) {
                    CompletableFuture<String> answer = pending.remove(Integer.parseInt(id.group(1)));
                    if (answer != null) {
                        answer.complete(message);
                    }
                } else if (message.contains("\"Page.loadEventFired\"")) {
                    loaded.complete(null);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
