package dev.v86unit.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

    private static final SnapshotKey KEY = new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, "files1", false);

    @TempDir
    Path dir;

    private SnapshotStore storeWithState(byte[] state) throws Exception {
        SnapshotStore store = new SnapshotStore(dir);
        Files.write(store.stateFile(KEY), state);
        store.commit(KEY, 1234);
        return store;
    }

    @Test
    void a_committed_state_is_found_and_its_metadata_records_checksums_and_key() throws Exception {
        SnapshotStore store = storeWithState(new byte[] {1, 2, 3});
        assertThat(store.find(KEY, false)).contains(store.stateFile(KEY));
        assertThat(dir.resolve(KEY.hash() + ".json")).content()
                .contains("\"crc32c\"", "\"sha256\"", "\"size\" : 3", "\"rawStateSize\" : 1234", "\"imageId\" : \"sha256:aa\"");
    }

    @Test
    void a_state_without_metadata_is_unfinished_and_removed_only_under_repair() throws Exception {
        SnapshotStore store = new SnapshotStore(dir);
        Files.write(store.stateFile(KEY), new byte[] {1});
        assertThat(store.find(KEY, false)).isEmpty();
        assertThat(store.stateFile(KEY)).exists();
        assertThat(store.find(KEY, true)).isEmpty();
        assertThat(store.stateFile(KEY)).doesNotExist();
    }

    @Test
    void a_changed_byte_is_detected_and_the_snapshot_deleted_under_repair() throws Exception {
        SnapshotStore store = storeWithState(new byte[1000]);
        try (RandomAccessFile file = new RandomAccessFile(store.stateFile(KEY).toFile(), "rw")) {
            file.seek(500);
            file.write(7);
        }
        assertThat(store.find(KEY, false)).isEmpty();
        assertThat(store.stateFile(KEY)).as("left alone without the lock").exists();
        assertThat(store.find(KEY, true)).isEmpty();
        assertThat(store.stateFile(KEY)).doesNotExist();
        assertThat(dir.resolve(KEY.hash() + ".json")).doesNotExist();
    }

    @Test
    void a_truncated_state_is_detected() throws Exception {
        SnapshotStore store = storeWithState(new byte[1000]);
        try (RandomAccessFile file = new RandomAccessFile(store.stateFile(KEY).toFile(), "rw")) {
            file.setLength(10);
        }
        assertThat(store.find(KEY, true)).isEmpty();
    }

    @Test
    void unreadable_metadata_is_detected() throws Exception {
        SnapshotStore store = storeWithState(new byte[] {1});
        Files.writeString(dir.resolve(KEY.hash() + ".json"), "{ not json");
        assertThat(store.find(KEY, true)).isEmpty();
        assertThat(store.stateFile(KEY)).doesNotExist();
    }

    @Test
    void the_lock_lets_one_thread_in_at_a_time() throws Exception {
        SnapshotStore store = new SnapshotStore(dir);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            pool.submit(() -> {
                start.await();
                try (SnapshotStore.Lock lock = store.lock(KEY)) {
                    events.add("in");
                    Thread.sleep(20);
                    events.add("out");
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(String.join(",", events)).isEqualTo("in,out,in,out,in,out,in,out");
    }
}
