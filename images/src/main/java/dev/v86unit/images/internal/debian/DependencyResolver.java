package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.UnknownPackageException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chooses the packages of a root filesystem the way apt would for a fresh system, minus apt's scoring:
 * every {@code Essential: yes} package (they are never declared as dependencies), the requested ones, and
 * the transitive closure of their {@code Pre-Depends} and {@code Depends}. The {@code Recommends} of the
 * packages a test asks for explicitly are installed too (one level, as apt does by default for what one
 * asks it to install: {@code tcc} is useless without the libc6-dev it only recommends); other Recommends
 * and all Suggests are skipped, so the base image stays small. Version constraints are ignored (see
 * {@link Relations}).
 *
 * <p>Choices are deterministic. For {@code a | b}: a requirement some selected package already satisfies
 * (by name or by {@code Provides}) adds nothing; else the first alternative that is a real package wins,
 * else the first one that some package provides. Among providers of a virtual package, one already
 * selected wins, else the one with the highest {@code Priority}, then by name. Requested packages are
 * all selected before any dependency is looked at, so requesting {@code b} turns {@code a | b} into b.
 */
public final class DependencyResolver {

    private static final List<String> PRIORITIES = List.of("required", "important", "standard", "optional", "extra");

    private final Map<String, PackageEntry> packages;
    private final Map<String, List<PackageEntry>> providers = new HashMap<>();
    private final String archive;

    /**
     * @param packages the archive's packages, one (the newest) per name
     * @param archive  for messages, e.g. {@code Debian bookworm main (i386)}
     */
    public DependencyResolver(Collection<PackageEntry> packages, String archive) {
        this.packages = new TreeMap<>();
        for (PackageEntry entry : packages) {
            this.packages.put(entry.name(), entry);
        }
        for (PackageEntry entry : this.packages.values()) {
            for (String virtual : Relations.names(entry.provides())) {
                providers.computeIfAbsent(virtual, v -> new ArrayList<>()).add(entry);
            }
        }
        providers.values().forEach(list -> list.sort(Comparator.comparingInt((PackageEntry p) -> rank(p.priority()))
                .thenComparing(PackageEntry::name)));
        this.archive = archive;
    }

    /**
     * @param requested package names (real or virtual) the image asks for, besides the essential ones
     * @param imageName for messages
     * @return the selected packages, sorted by name
     * @throws UnknownPackageException if a requested name is neither a package nor provided by one
     * @throws ImageBuildException     if a dependency cannot be satisfied from the archive
     */
    public List<PackageEntry> resolve(List<String> requested, String imageName) {
        return resolve(requested, List.of(), imageName);
    }

    /**
     * @param withRecommends requested packages whose {@code Recommends} are installed as well (those that
     *                       the archive can satisfy; the others are skipped)
     * @see #resolve(List, String)
     */
    public List<PackageEntry> resolve(List<String> requested, List<String> withRecommends, String imageName) {
        List<String> unknown = requested.stream().filter(n -> !packages.containsKey(n) && !providers.containsKey(n))
                .distinct().toList();
        if (!unknown.isEmpty()) {
            throw new UnknownPackageException(unknown, archive, imageName);
        }
        // package -> the package that pulled it in (null for roots), for error messages
        Map<String, String> selected = new LinkedHashMap<>();
        Deque<PackageEntry> queue = new ArrayDeque<>();
        packages.values().stream().filter(PackageEntry::essential).forEach(p -> select(p, null, selected, queue));
        for (String name : requested) {
            if (!satisfied(name, selected)) {
                select(packages.containsKey(name) ? packages.get(name) : bestProvider(name, selected), null,
                        selected, queue);
            }
        }
        for (String name : withRecommends) {
            PackageEntry entry = packages.get(name);
            if (entry == null) {
                continue;
            }
            for (List<String> alternatives : Relations.parse(entry.recommends())) {
                if (alternatives.stream().noneMatch(a -> satisfied(a, selected))) {
                    choose(alternatives, selected).ifPresent(choice -> select(choice, entry.name(), selected, queue));
                }
            }
        }
        while (!queue.isEmpty()) {
            PackageEntry entry = queue.removeFirst();
            for (String field : List.of("Pre-Depends", "Depends")) {
                for (List<String> alternatives : Relations.parse(field.equals("Depends") ? entry.depends()
                        : entry.preDepends())) {
                    if (alternatives.stream().noneMatch(a -> satisfied(a, selected))) {
                        PackageEntry choice = choose(alternatives, selected).orElseThrow(() -> unsatisfiable(
                                field, alternatives, entry.name(), selected));
                        select(choice, entry.name(), selected, queue);
                    }
                }
            }
        }
        return selected.keySet().stream().sorted().map(packages::get).toList();
    }

    private static void select(PackageEntry entry, String requiredBy, Map<String, String> selected,
                               Deque<PackageEntry> queue) {
        if (!selected.containsKey(entry.name())) {
            selected.put(entry.name(), requiredBy);
            queue.addLast(entry);
        }
    }

    private boolean satisfied(String name, Map<String, String> selected) {
        return selected.containsKey(name)
                || providers.getOrDefault(name, List.of()).stream().anyMatch(p -> selected.containsKey(p.name()));
    }

    private Optional<PackageEntry> choose(List<String> alternatives, Map<String, String> selected) {
        for (String name : alternatives) {
            if (packages.containsKey(name)) {
                return Optional.of(packages.get(name));
            }
        }
        return alternatives.stream().filter(providers::containsKey).findFirst().map(n -> bestProvider(n, selected));
    }

    private PackageEntry bestProvider(String virtual, Map<String, String> selected) {
        List<PackageEntry> candidates = providers.get(virtual);
        return candidates.stream().filter(p -> selected.containsKey(p.name())).findFirst().orElse(candidates.get(0));
    }

    private ImageBuildException unsatisfiable(String field, List<String> alternatives, String packageName,
                                              Map<String, String> selected) {
        List<String> chain = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (String p = packageName; p != null && seen.add(p); p = selected.get(p)) {
            chain.add(p);
        }
        return new ImageBuildException("Cannot satisfy '" + field + ": " + String.join(" | ", alternatives)
                + "' of package " + String.join(" <- ", chain) + ": no such package in " + archive);
    }

    private static int rank(String priority) {
        int index = PRIORITIES.indexOf(priority);
        return index < 0 ? PRIORITIES.size() : index;
    }
}
