package dev.v86unit.images;

/**
 * Building an image failed. The message says what failed and with which input: the URL, the package,
 * the file, the expected and the actual sha256. Nothing half-built is left in the cache; the next
 * {@link ImageStore#get(String)} starts again (reusing the verified downloads).
 *
 * <pre>{@code
 * try {
 *     imageStore.get("busybox");
 * } catch (ImageBuildException e) {
 *     // e.g. "linux-image-6.1.0-50-686-unsigned 6.1.176-1: sha256 mismatch for
 *     //       http://deb.debian.org/debian/pool/main/l/linux/...deb: expected 66da49..., actual 9b1c07..."
 * }
 * }</pre>
 */
public class ImageBuildException extends RuntimeException {

    /** @param message what failed, naming the URL, package or file */
    public ImageBuildException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the URL, package or file
     * @param cause   the underlying failure; may be null
     */
    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
