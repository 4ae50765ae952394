package io.berth.logindexer;

import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import io.berth.events.log.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes to log topics as the collector (LogLine events) or an app (raw bytes) would. */
public final class LogProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    public LogProducer(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    public Future<RecordMetadata> line(LogLine line) {
        return line(line, null);
    }

    public Future<RecordMetadata> line(LogLine line, org.apache.kafka.clients.producer.Callback done) {
        return producer.send(new ProducerRecord<>("berth.logs." + line.app(), line.instance(),
                EventCodec.toBytes(CloudEvent.of("/test/log-producer", line))), done);
    }

    public Future<RecordMetadata> raw(String app, String key, byte[] value) {
        return producer.send(new ProducerRecord<>("berth.logs." + app, key, value));
    }

    public Future<RecordMetadata> raw(String app, String key, String value) {
        return raw(app, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits for every given send; returns how many the broker acknowledged. */
    public static int acknowledged(List<Future<RecordMetadata>> sends) throws Exception {
        int n = 0;
        for (Future<RecordMetadata> f : sends) {
            f.get();
            n++;
        }
        return n;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
