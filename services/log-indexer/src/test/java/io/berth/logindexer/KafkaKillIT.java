package io.berth.logindexer;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Kafka broker killed (-9) while lines flow: after it is back every line is indexed once. */
class KafkaKillIT {
    @Test
    void everyLineOnceAfterTheBrokerIsKilled() throws Exception {
        try (FaultRig rig = new FaultRig()) {
            try {
                rig.startIndexer();
                rig.startCollector();
                rig.write(200);
                Thread.sleep(4000);
                FaultRig.kill9("kafka");
                Thread.sleep(3000);
            } finally {
                FaultRig.infraUp();
            }
            Thread.sleep(4000);
            rig.writer.close();
            rig.assertEveryLineOnce(Duration.ofSeconds(120));
        } finally {
            FaultRig.infraUp();
        }
    }
}
