package dev.v86unit.images;

import java.util.Collection;

/**
 * Thrown by {@link ImageStore#get(String)} for a name that is not a known image. The message names the
 * image and lists the available ones:
 *
 * <pre>{@code
 * imageStore.get("foo");
 * // UnknownImageException: Unknown image 'foo'. Available images: busybox, debian
 * }</pre>
 */
public class UnknownImageException extends IllegalArgumentException {

    /** The requested name; may be null. */
    private final String imageName;

    /**
     * @param imageName the requested name (may be null, shown as {@code null})
     * @param available the names that exist, in the order to show them
     */
    public UnknownImageException(String imageName, Collection<String> available) {
        super("Unknown image '" + imageName + "'. Available images: " + String.join(", ", available));
        this.imageName = imageName;
    }

    /** @return the requested name that does not exist; may be null */
    public String imageName() {
        return imageName;
    }
}
