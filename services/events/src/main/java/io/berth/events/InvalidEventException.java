package io.berth.events;

/** An event that cannot be built or read: the message names the event type and the field at fault. */
public class InvalidEventException extends IllegalArgumentException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
