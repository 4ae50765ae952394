package io.berth.cli.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code --command 'java -jar "my app.jar" --port 8080'} into argv the way a POSIX shell would
 * for words and quotes (single quotes literal, double quotes with \-escapes, \ outside quotes), but
 * expands nothing: a release's command is run without a shell unless it names one.
 */
final class CommandWords {
    private CommandWords() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + (quote == '"' ? "double" : "single") + " quote in the command");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
