package io.berth.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table as kubectl or the heroku CLI print it: a header in capitals, columns left-aligned and
 * two spaces apart, the last column not padded (so no line ends in spaces), newlines in a cell
 * flattened so that every row stays one line, an unknown value (null) shown as "-".
 */
public final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = header;
    }

    public Table row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.length + " columns");
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toArray(String[]::new));
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String render() {
        int[] width = new int[header.length];
        for (String[] row : withHeader()) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : withHeader()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    public void print(PrintWriter out) {
        out.print(render());
        out.flush();
    }

    private List<String[]> withHeader() {
        List<String[]> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }

    /** null is "-" (nothing known); an empty string stays empty, for marker columns such as releases' "*". */
    private static String cell(Object value) {
        return value == null ? "-" : value.toString().replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
