package dev.v86unit.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.v86unit.internal.io.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved machine states in {@code <cache>/snapshots/}: {@code <key>.state} (written atomically by
 * the Node host) and {@code <key>.json} (its size, CRC32C, sha256 and key fields, written last and
 * atomically, so a snapshot without one is unfinished). A state is used only after its size and
 * CRC32C check out (CRC32C: 17 MB in a few ms, where sha256 took ~50 ms of a ~500 ms restore;
 * each gzip part inside carries its own CRC too); a damaged one is logged at WARN and deleted, to
 * be made again. Making one is
 * serialised per key, across threads and JVMs, by {@link #lock(SnapshotKey)}.
 */
public final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;

    public SnapshotStore(Path dir) {
        this.dir = dir;
    }

    /** @return where the Node host is to write this key's state */
    public Path stateFile(SnapshotKey key) {
        return dir.resolve(key.hash() + ".state");
    }

    private Path metadataFile(SnapshotKey key) {
        return dir.resolve(key.hash() + ".json");
    }

    /**
     * @return the verified state file of this key, if there is a finished one that checks out. A
     *         damaged one is deleted only when {@code repair} is set: the caller must hold the lock,
     *         since without it the file may be one that another JVM is just writing.
     */
    public Optional<Path> find(SnapshotKey key, boolean repair) {
        Path state = stateFile(key);
        Path metadata = metadataFile(key);
        if (!Files.isRegularFile(metadata)) {
            if (repair && Files.exists(state)) {
                LOG.warn("Snapshot {} has no metadata (an interrupted write?); deleting it", state);
                delete(key);
            }
            return Optional.empty();
        }
        String problem = verify(state, metadata);
        if (problem == null) {
            return Optional.of(state);
        }
        if (repair) {
            LOG.warn("Snapshot {} is unusable ({}); deleting it to make it again", state, problem);
            delete(key);
        }
        return Optional.empty();
    }

    private static String verify(Path state, Path metadata) {
        try {
            JsonNode recorded = JSON.readTree(metadata.toFile());
            long size = recorded.path("size").asLong(-1);
            if (!Files.isRegularFile(state)) {
                return "the state file is missing";
            }
            if (Files.size(state) != size) {
                return "size " + Files.size(state) + " instead of " + size + " bytes: truncated?";
            }
            String actual = crc32c(state);
            if (!actual.equals(recorded.path("crc32c").asText())) {
                return "CRC32C " + actual + " instead of " + recorded.path("crc32c").asText();
            }
            return null;
        } catch (IOException e) {
            return "cannot read it: " + e.getMessage();
        }
    }

    /** Records the state the host has just written: its checksum, size and key fields, atomically. */
    public void commit(SnapshotKey key, long rawStateSize) {
        Path state = stateFile(key);
        try {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("key", key.hash());
            metadata.put("crc32c", crc32c(state));
            metadata.put("sha256", Hashes.sha256(state));
            metadata.put("size", Files.size(state));
            metadata.put("rawStateSize", rawStateSize);
            metadata.put("created", Instant.now().toString());
            metadata.putAll(key.fields());
            Path temp = Files.createTempFile(dir, ".metadata-", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(metadata)));
                channel.force(true);
            }
            Files.move(temp, metadataFile(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record snapshot " + state, e);
        }
    }

    /** Removes a snapshot (metadata first, so that nobody takes the state for finished meanwhile). */
    public void delete(SnapshotKey key) {
        try {
            Files.deleteIfExists(metadataFile(key));
            Files.deleteIfExists(stateFile(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete snapshot " + stateFile(key), e);
        }
    }

    /** Takes the key's lock: other threads of this JVM and other JVMs wait until it is closed. */
    public Lock lock(SnapshotKey key) {
        try {
            Files.createDirectories(dir);
            Path lockFile = dir.resolve(key.hash() + ".lock");
            ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath(), path -> new ReentrantLock());
            jvmLock.lock();
            try {
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                return new Lock(jvmLock, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                jvmLock.unlock();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock snapshot " + key.hash() + " in " + dir, e);
        }
    }

    /** A held snapshot lock. */
    public record Lock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                fileLock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                jvmLock.unlock();
            }
        }
    }

    static String crc32c(Path file) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer) != -1) {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
            }
        }
        return String.format("%08x", crc.getValue());
    }
}
