package io.berth.logcollector.ship;

import io.berth.logcollector.CollectorConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The plain Kafka producer for log lines: one record per line to the app's topic, keyed by
 * instance, acks=all and idempotent (so the producer's own retries never duplicate or reorder),
 * batched and compressed for throughput. Plain rather than a SmallRye channel because every line
 * picks its topic and needs its own acknowledgement callback at 100k+ lines a second.
 */
public final class LogProducer implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;

    public LogProducer(String bootstrapServers, CollectorConfig.Producer config, long bufferBytes) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "berth-log-collector");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, config.batchSize());
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        // the collector's own in-flight limit is below this, so send() does not block on memory
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferBytes);
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        int deliveryMs = (int) config.deliveryTimeout().toMillis();
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, deliveryMs / 2));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(String topic, byte[] key, byte[] value, Callback callback) {
        producer.send(new ProducerRecord<>(topic, key, value), callback);
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
