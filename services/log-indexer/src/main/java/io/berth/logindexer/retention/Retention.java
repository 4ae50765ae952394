package io.berth.logindexer.retention;

import io.berth.logindexer.document.IndexNames;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/** Which daily log indices are past retention: those whose whole day ended more than {@code days} days ago. */
public final class Retention {
    private Retention() {
    }

    public static List<String> expired(Collection<String> indices, IndexNames names, LocalDate today, int days) {
        LocalDate oldestKept = today.minusDays(days);
        return indices.stream()
                .filter(name -> names.dayOf(name).map(day -> day.isBefore(oldestKept)).orElse(false))
                .sorted()
                .toList();
    }
}
