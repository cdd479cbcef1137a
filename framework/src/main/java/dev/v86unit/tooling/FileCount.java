package dev.v86unit.tooling;

/**
 * A number of files and their size.
 *
 * @param files how many
 * @param bytes their total size in bytes
 */
public record FileCount(long files, long bytes) {

    /** No files. */
    public static final FileCount NONE = new FileCount(0, 0);

    /** @return this and {@code other} together */
    public FileCount plus(FileCount other) {
        return new FileCount(files + other.files, bytes + other.bytes);
    }

    /** @return this and one more file of {@code size} bytes */
    public FileCount plusFile(long size) {
        return new FileCount(files + 1, bytes + size);
    }
}
