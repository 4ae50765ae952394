package io.berth.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced blocks of the documentation. A block whose info string is {@code sh} or {@code bash}
 * (or {@code shell}, {@code console}, {@code zsh}) holds commands, and the line before it must say what
 * becomes of them:
 * <ul>
 * <li>{@code <!-- run: DocCommandsTest -->}: DocCommandsTest runs it, with the page's other such blocks,
 * in a sandbox (scratch database, topic, index, BERTH_HOME);</li>
 * <li>{@code <!-- run: SomeOtherTest -->}: that test (a class under tests/ or services/) runs it, and
 * names the page's path in its source;</li>
 * <li>{@code <!-- not runnable here: <reason> -->}: nothing runs it, and the reason says why.</li>
 * </ul>
 */
final class DocBlocks {
    /** Info strings of blocks that hold commands. */
    static final Set<String> COMMAND_LANGUAGES = Set.of("sh", "bash", "shell", "console", "zsh");
    static final Pattern RUN = Pattern.compile("<!--\\s*run:\\s*(\\w+)\\s*-->");
    static final Pattern NOT_RUNNABLE = Pattern.compile("<!--\\s*not runnable here:\\s*(.*?)\\s*-->", Pattern.DOTALL);
    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`\\s]*).*$");

    /** One fenced block: where it is, its info string, the marker before it (or null) and its text. */
    record Block(String page, int line, String info, String marker, String text) {
        boolean isCommand() {
            return COMMAND_LANGUAGES.contains(info);
        }

        /** The test named by a run marker, or null. */
        String runBy() {
            Matcher m = marker == null ? null : RUN.matcher(marker);
            return m != null && m.matches() ? m.group(1) : null;
        }

        /** The reason of a not-runnable marker, or null. */
        String notRunnableReason() {
            Matcher m = marker == null ? null : NOT_RUNNABLE.matcher(marker);
            return m != null && m.matches() ? m.group(1) : null;
        }

        String where() {
            return page + ":" + line;
        }
    }

    /**
     * The pages whose commands are checked: docs/**.md, the root README, every module's README
     * (services/*, gateway, samples/*, tests/*), charts/berth/README.md and k8s/README.md.
     */
    static List<String> pages() throws IOException {
        List<String> pages = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Repo.path("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).map(p -> Repo.ROOT.relativize(p).toString()).sorted().forEach(pages::add);
        }
        pages.add("README.md");
        for (String parent : List.of("services", "samples", "tests")) {
            try (Stream<Path> modules = Files.list(Repo.path(parent))) {
                modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile)
                        .map(p -> Repo.ROOT.relativize(p).toString()).sorted().forEach(pages::add);
            }
        }
        pages.add("gateway/README.md");
        pages.add("charts/berth/README.md");
        pages.add("k8s/README.md");
        return pages;
    }

    static List<Block> blocks(String page) throws IOException {
        List<String> lines = Files.readAllLines(Repo.path(page));
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(2);
            String info = open.group(3);
            int start = i;
            StringBuilder text = new StringBuilder();
            i++;
            while (i < lines.size() && !lines.get(i).strip().startsWith(fence)) {
                text.append(lines.get(i)).append('\n');
                i++;
            }
            blocks.add(new Block(page, start + 1, info, markerBefore(lines, start), text.toString()));
        }
        return blocks;
    }

    /** The HTML comment that ends on the last non-blank line before a block, or null. */
    private static String markerBefore(List<String> lines, int fenceLine) {
        int j = fenceLine - 1;
        while (j >= 0 && lines.get(j).isBlank()) {
            j--;
        }
        if (j < 0 || !lines.get(j).strip().endsWith("-->")) {
            return null;
        }
        StringBuilder comment = new StringBuilder(lines.get(j).strip());
        while (!comment.toString().startsWith("<!--") && j > 0) {
            j--;
            comment.insert(0, lines.get(j).strip() + " ");
        }
        return comment.toString().startsWith("<!--") ? comment.toString() : null;
    }

    static List<Block> all() throws IOException {
        List<Block> all = new ArrayList<>();
        for (String page : pages()) {
            all.addAll(blocks(page));
        }
        return all;
    }

    private DocBlocks() {
    }
}
