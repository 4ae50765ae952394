package io.berth.logindexer;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Elasticsearch killed (-9) while lines flow: the indexer pauses, retries, and loses nothing once it is back. */
class ElasticsearchKillIT {
    @Test
    void everyLineOnceAfterElasticsearchIsKilled() throws Exception {
        try (FaultRig rig = new FaultRig()) {
            try {
                rig.startIndexer();
                rig.startCollector();
                rig.write(200);
                Thread.sleep(4000);
                FaultRig.kill9("elasticsearch");
                Thread.sleep(3000);
            } finally {
                FaultRig.infraUp();
            }
            Thread.sleep(3000);
            rig.writer.close();
            rig.assertEveryLineOnce(Duration.ofSeconds(120));
        } finally {
            FaultRig.infraUp();
        }
    }
}
