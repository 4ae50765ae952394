package io.berth.logindexer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged collector killed (-9) while lines flow, and started again on its state: it resumes
 * from its last checkpoint, so the lines Kafka took after that checkpoint are sent a second time;
 * they carry the same event ids, so Elasticsearch holds every line once.
 */
class CollectorKillIT {
    @Test
    void everyLineOnceAfterTheCollectorIsKilled() throws Exception {
        try (FaultRig rig = new FaultRig()) {
            rig.startIndexer();
            rig.startCollector();
            rig.write(300);
            Thread.sleep(4000);
            rig.collector.kill();
            Thread.sleep(2000);
            rig.startCollector();
            Thread.sleep(3000);
            rig.writer.close();
            rig.assertEveryLineOnce(Duration.ofSeconds(90));
            long records = rig.recordsInTopic();
            System.out.printf("the topic holds %d records for %d lines%n", records, rig.writer.written.get());
            assertTrue(records > rig.writer.written.get(), "the collector sent the lines after its last checkpoint again");
        }
    }
}
