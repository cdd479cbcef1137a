package dev.v86unit.images.internal.rootfs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Debian's alternatives ({@code awk -> mawk}, {@code pager -> less}, {@code which -> which.debianutils})
 * without running {@code update-alternatives}: the {@code --install} calls are read from each package's
 * postinst text, and for each name the highest priority wins (ties: the smaller path) as in automatic
 * mode. Then {@code LINK -> /etc/alternatives/NAME -> PATH}, for the master and for each slave whose path
 * exists (man page slaves vanish with the man pages).
 *
 * <p>Only literal calls are understood. A call whose master uses shell variables or command substitution
 * is skipped (procps' {@code check_alternatives "$BINNAME"}, which only acts on files bookworm no longer
 * ships); slaves after the first non-literal word are dropped (xz-utils builds its lzma slaves with
 * {@code $(...)}, so {@code lzma} exists but {@code unlzma}, {@code lzcat} do not).
 */
public final class Alternatives {

    private static final Logger LOG = LoggerFactory.getLogger(Alternatives.class);
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--altdir", "--admindir", "--instdir", "--root",
            "--log");

    /** One {@code update-alternatives --install LINK NAME PATH PRIORITY [--slave LINK NAME PATH]...}. */
    public record Alternative(String link, String name, String path, int priority, List<Slave> slaves) {
        public Alternative {
            slaves = List.copyOf(slaves);
        }
    }

    /** A {@code --slave LINK NAME PATH} that follows its master's choice. */
    public record Slave(String link, String name, String path) {
    }

    private Alternatives() {
    }

    /** @return the literal {@code update-alternatives --install} calls in a maintainer script */
    public static List<Alternative> parse(String script) {
        List<Alternative> found = new ArrayList<>();
        for (String line : ShellWords.logicalLines(script)) {
            List<String> words = ShellWords.split(line);
            for (int i = words.indexOf("update-alternatives"); i >= 0 && i < words.size(); i++) {
                if (words.get(i).equals("--install")) {
                    parseInstall(words, i + 1).ifPresent(found::add);
                    break;
                }
                if (OPTIONS_WITH_VALUE.contains(words.get(i))) {
                    i++;
                }
            }
        }
        return found;
    }

    private static Optional<Alternative> parseInstall(List<String> words, int start) {
        if (words.size() < start + 4 || !literal(words.subList(start, start + 4))) {
            LOG.debug("Skipping update-alternatives call that is not literal: {}", words);
            return Optional.empty();
        }
        int priority;
        try {
            priority = Integer.parseInt(words.get(start + 3));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        List<Slave> slaves = new ArrayList<>();
        for (int i = start + 4; i + 3 < words.size() && words.get(i).equals("--slave")
                && literal(words.subList(i + 1, i + 4)); i += 4) {
            slaves.add(new Slave(words.get(i + 1), words.get(i + 2), words.get(i + 3)));
        }
        return Optional.of(new Alternative(words.get(start), words.get(start + 1), words.get(start + 2),
                priority, slaves));
    }

    private static boolean literal(List<String> words) {
        return words.stream().noneMatch(w -> w.contains("$") || w.contains("`") || w.startsWith("-"));
    }

    /**
     * Creates the links of the winning alternative of each name whose path exists in {@code rootfs}.
     * A real file at a link's place stays (update-alternatives refuses to replace one without --force).
     *
     * @return name -> chosen path, sorted by name
     */
    public static Map<String, String> apply(List<Alternative> all, Rootfs rootfs) {
        Map<String, Alternative> best = new TreeMap<>();
        Comparator<Alternative> order = Comparator.comparingInt(Alternative::priority)
                .thenComparing(Alternative::path, Comparator.reverseOrder());
        for (Alternative alternative : all) {
            if (rootfs.exists(alternative.path())) {
                best.merge(alternative.name(), alternative, (a, b) -> order.compare(a, b) >= 0 ? a : b);
            }
        }
        Map<String, String> chosen = new TreeMap<>();
        for (Alternative alternative : best.values()) {
            if (link(rootfs, alternative.link(), alternative.name(), alternative.path())) {
                chosen.put(alternative.name(), alternative.path());
            }
            for (Slave slave : alternative.slaves()) {
                if (rootfs.exists(slave.path())) {
                    link(rootfs, slave.link(), slave.name(), slave.path());
                }
            }
        }
        return chosen;
    }

    private static boolean link(Rootfs rootfs, String link, String name, String path) {
        if (rootfs.tree().get(link).orElse(null) instanceof FsTree.File) {
            LOG.debug("Alternative {}: {} is a real file, leaving it", name, link);
            return false;
        }
        rootfs.symlink("etc/alternatives/" + name, path);
        rootfs.symlink(link, "/etc/alternatives/" + name);
        return true;
    }
}
