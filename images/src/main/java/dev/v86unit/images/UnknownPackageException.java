package dev.v86unit.images;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A recipe asks for a package that the Debian archive does not have. The message names the packages,
 * the archive and the image; it is thrown after downloading only the archive's index, before any package:
 *
 * <pre>{@code
 * imageStore.get("debian", List.of("no-such-pkg"));
 * // UnknownPackageException: Package 'no-such-pkg' is not in Debian bookworm main (i386),
 * //                          requested for image 'debian'
 * }</pre>
 */
public class UnknownPackageException extends ImageBuildException {

    /** The requested names that do not exist, sorted; never empty. */
    private final List<String> packageNames;

    /**
     * @param packageNames the missing packages, at least one
     * @param archive      where they were looked up, e.g. {@code Debian bookworm main (i386)}
     * @param imageName    the image they were requested for
     */
    public UnknownPackageException(List<String> packageNames, String archive, String imageName) {
        super(message(packageNames, archive, imageName));
        this.packageNames = packageNames.stream().sorted().toList();
    }

    private static String message(List<String> names, String archive, String imageName) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no package names");
        }
        String quoted = names.stream().sorted().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return (names.size() == 1 ? "Package " + quoted + " is not in " : "Packages " + quoted + " are not in ")
                + archive + ", requested for image '" + imageName + "'";
    }

    /** @return the requested packages that the archive does not have, sorted; never empty */
    public List<String> packageNames() {
        return packageNames;
    }
}
