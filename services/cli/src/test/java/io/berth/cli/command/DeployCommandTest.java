package io.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeployCommandTest {
    @Test
    void aCommandGivenWithAJarRunsWithTheJarMounted() {
        DeployCommand deploy = new DeployCommand();
        deploy.jar = Path.of("/srv/app.jar");
        deploy.command = "sh -c 'echo hi; exec java -jar /srv/app.jar'";
        var spec = deploy.spec();
        assertEquals("/srv/app.jar", spec.path("artifact").asText());
        assertEquals("sh", spec.path("command").get(0).asText());
        assertEquals("sh -c 'echo hi; exec java -jar /srv/app.jar'", DeployCommand.what(spec));
    }

    @Test
    void aJarAloneRunsAsJavaJar() {
        DeployCommand deploy = new DeployCommand();
        deploy.jar = Path.of("/srv/app.jar");
        var spec = deploy.spec();
        assertFalse(spec.has("command"));
        assertEquals("java -jar /srv/app.jar", DeployCommand.what(spec));
    }
}
