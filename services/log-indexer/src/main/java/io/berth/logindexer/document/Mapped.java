package io.berth.logindexer.document;

/** What one Kafka record becomes: a document to index, a poison record for the dead-letter index, or nothing. */
public sealed interface Mapped {
    record Document(LogDocument document) implements Mapped {
    }

    record Poison(KafkaRecord record, String reason) implements Mapped {
    }

    /** A tombstone (null value): nothing was logged. */
    record Skip(KafkaRecord record) implements Mapped {
    }
}
