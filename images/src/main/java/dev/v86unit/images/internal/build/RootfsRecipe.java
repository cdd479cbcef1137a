package dev.v86unit.images.internal.build;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The root filesystem part of a {@link Recipe}: every {@code Essential: yes} package of the suite, plus
 * {@code packages} (the image's own) and {@code extraPackages} (asked for by a test), with their
 * dependencies; and the guest init to install as {@code /sbin/v86unit-init}.
 *
 * @param suite         the Debian suite the root filesystem's packages come from, e.g. {@code bullseye};
 *                      null: the recipe's own suite (the one its kernel comes from)
 * @param extraPackages sorted, without duplicates and without the image's own packages, so that the same
 *                      set always gives the same key
 */
public record RootfsRecipe(String suite, List<String> packages, List<String> extraPackages, byte[] guestInit) {

    /** Debian policy 5.6.1: lowercase letters, digits, "+", "-", "."; at least two, starting alphanumeric. */
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

    public RootfsRecipe {
        packages = List.copyOf(packages);
        for (String name : extraPackages) {
            if (!PACKAGE_NAME.matcher(Objects.requireNonNull(name, "package name")).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a Debian package name (lowercase letters,"
                        + " digits, '+', '-' and '.', starting with a letter or digit)");
            }
        }
        TreeSet<String> extra = new TreeSet<>(extraPackages);
        extra.removeAll(packages);
        extraPackages = List.copyOf(extra);
        guestInit = guestInit.clone();
    }

    /** A root filesystem from the recipe's own suite. */
    public RootfsRecipe(List<String> packages, List<String> extraPackages, byte[] guestInit) {
        this(null, packages, extraPackages, guestInit);
    }

    @Override
    public byte[] guestInit() {
        return guestInit.clone();
    }

    /** The requested names, the image's own first. */
    public List<String> requested() {
        return Stream.concat(packages.stream(), extraPackages.stream()).toList();
    }

    public RootfsRecipe withExtraPackages(List<String> extra) {
        return new RootfsRecipe(suite, packages, extra, guestInit);
    }
}
