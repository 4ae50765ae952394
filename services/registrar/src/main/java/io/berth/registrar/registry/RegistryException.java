package io.berth.registrar.registry;

/** A backend could not be read or written; the registrar retries, and the next reconcile heals. */
public class RegistryException extends Exception {
    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryException(String message) {
        super(message);
    }
}
