package io.berth.logindexer.document;

/** What the indexer needs of a consumed record, free of the Kafka client types so mapping stays pure. */
public record KafkaRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

    public String id() {
        return LogDocument.idOf(topic, partition, offset);
    }

    public static KafkaRecord of(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
        return new KafkaRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value());
    }
}
