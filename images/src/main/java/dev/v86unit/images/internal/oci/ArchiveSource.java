package dev.v86unit.images.internal.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Where an archive's bytes come from (a file, a classpath resource); each {@link #open()} starts again. */
public interface ArchiveSource {

    /** @return a new stream of the archive's bytes */
    InputStream open() throws IOException;

    /** @return the source as the user wrote it, e.g. {@code file:build/app.tar}, for messages */
    String description();

    /** @return the host file, if the archive is one (not a classpath resource); else null */
    default Path file() {
        return null;
    }
}
