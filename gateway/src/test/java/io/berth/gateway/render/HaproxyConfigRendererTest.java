package io.berth.gateway.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.BackendLayout;
import io.berth.gateway.model.Member;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HaproxyConfigRendererTest {
    private static final RenderSettings SETTINGS = new RenderSettings("apps.localhost", "127.0.0.1:8000",
            "127.0.0.1:8404", Path.of("/run/h/admin.sock"), Path.of("/run/h/pid"), Duration.ofSeconds(1), 2, 2, true);

    private static Map<String, AppPool> pools() {
        return Map.of(
                "shop", new AppPool("shop", Optional.of("/health"), Map.of(
                        "shop-1", new Member("shop-1", 3, "127.0.0.1", 20001, 100),
                        "shop-2", new Member("shop-2", 4, "127.0.0.1", 20002, 10))),
                "blog", new AppPool("blog", Optional.empty(), Map.of(
                        "blog-1", new Member("blog-1", 1, "127.0.0.1", 20003, 100))),
                "evil", new AppPool("evil", Optional.of("/x # \n global"), Map.of(
                        "evil-1", new Member("evil-1", 1, "127.0.0.1", 20004, 100))));
    }

    @Test
    void rendersOneBackendPerAppRoutedByHost() {
        String config = HaproxyConfigRenderer.render(BackendLayout.of(pools()), pools(), SETTINGS);
        assertTrue(config.contains("use_backend app_shop if { var(txn.berth_host) -m str shop.apps.localhost }"), config);
        assertTrue(config.contains("use_backend app_blog if { var(txn.berth_host) -m str blog.apps.localhost }"), config);
        assertTrue(config.contains("http-check send meth GET uri /health ver HTTP/1.1 hdr Host shop.apps.localhost"));
        assertTrue(config.contains("server shop-2 127.0.0.1:20002 check inter 1000 fall 2 rise 2 weight 10"));
        assertTrue(config.contains("retry-on conn-failure empty-response response-timeout 503"));
        assertTrue(config.contains("http-request disable-l7-retry unless METH_GET"));
        assertTrue(config.contains("default_backend berth_no_app"));
        // an unsafe health path never reaches the file: that app is checked by TCP
        assertFalse(config.contains("# \n global"));
        String evil = config.substring(config.indexOf("backend app_evil"));
        assertFalse(evil.substring(0, evil.indexOf("server ")).contains("httpchk"), evil);
    }

    @Test
    void theSameAppsGiveTheSameText() {
        assertEquals(HaproxyConfigRenderer.render(BackendLayout.of(pools()), pools(), SETTINGS),
                HaproxyConfigRenderer.render(BackendLayout.of(pools()), Map.copyOf(pools()), SETTINGS));
    }

    @Test
    void haproxyAcceptsWhatIsRendered() throws Exception {
        Path file = Files.createTempFile("rendered", ".cfg");
        try {
            Files.writeString(file, HaproxyConfigRenderer.render(BackendLayout.of(pools()), pools(), SETTINGS));
            Process check = new ProcessBuilder("haproxy", "-c", "-f", file.toString()).redirectErrorStream(true).start();
            assertTrue(check.waitFor(30, TimeUnit.SECONDS));
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.exitValue(), out);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
