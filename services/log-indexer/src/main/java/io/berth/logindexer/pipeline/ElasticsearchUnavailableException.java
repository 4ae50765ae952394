package io.berth.logindexer.pipeline;

/** Elasticsearch did not take a bulk at all (down, unreachable, or refusing everything): pause and retry. */
public class ElasticsearchUnavailableException extends Exception {
    public ElasticsearchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
