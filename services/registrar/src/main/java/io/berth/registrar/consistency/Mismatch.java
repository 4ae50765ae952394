package io.berth.registrar.consistency;

/**
 * One way a backend disagrees with the runtime. {@code problem}: MISSING (a ready instance's entry
 * is not there), UNEXPECTED (an entry nothing ready needs), UNREACHABLE (the backend could not be read).
 */
public record Mismatch(String instance, String backend, String problem, String detail) {
    public static final String MISSING = "MISSING";
    public static final String UNEXPECTED = "UNEXPECTED";
    public static final String UNREACHABLE = "UNREACHABLE";
}
