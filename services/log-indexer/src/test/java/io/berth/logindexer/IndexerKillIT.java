package io.berth.logindexer;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The packaged indexer killed (-9) while lines flow, and started again: every line once, none lost, none twice. */
class IndexerKillIT {
    @Test
    void everyLineOnceAfterTheIndexerIsKilled() throws Exception {
        try (FaultRig rig = new FaultRig()) {
            rig.startIndexer();
            rig.startCollector();
            rig.write(200);
            Thread.sleep(4000);
            rig.indexer.kill();
            Thread.sleep(2000);
            rig.startIndexer();
            Thread.sleep(4000);
            rig.writer.close();
            rig.assertEveryLineOnce(Duration.ofSeconds(90));
        }
    }
}
