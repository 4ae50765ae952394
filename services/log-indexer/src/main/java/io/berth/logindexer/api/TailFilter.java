package io.berth.logindexer.api;

import io.berth.logindexer.document.LogDocument;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tail's filters, applied to lines straight from Kafka: levels, instance, and text, where
 * every word of {@code q} must appear in the message (case-insensitive) — the live counterpart
 * of the search's AND of terms.
 */
public record TailFilter(Set<String> levels, String instance, List<String> words) {

    public static TailFilter of(Set<String> levels, String instance, String q) {
        List<String> words = q == null || q.isBlank() ? List.of()
                : Arrays.stream(q.toLowerCase(Locale.ROOT).split("\\s+")).filter(w -> !w.isEmpty()).toList();
        return new TailFilter(levels, instance, words);
    }

    public boolean test(LogDocument line) {
        if (!levels.isEmpty() && (line.level() == null || !levels.contains(line.level()))) {
            return false;
        }
        if (instance != null && !instance.equals(line.instance())) {
            return false;
        }
        if (!words.isEmpty()) {
            String message = line.message().toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (!message.contains(w)) {
                    return false;
                }
            }
        }
        return true;
    }
}
