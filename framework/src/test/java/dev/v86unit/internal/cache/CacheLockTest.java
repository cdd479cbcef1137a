package dev.v86unit.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache lock between threads (between processes it is a shared or exclusive file lock on the same file). */
class CacheLockTest {

    @TempDir
    Path cache;

    @Test
    void shared_holders_share_and_keep_the_exclusive_one_out() throws Exception {
        CacheLock first = CacheLock.shared(cache);
        CacheLock second = CompletableFuture.supplyAsync(() -> CacheLock.shared(cache)).get(30, TimeUnit.SECONDS);
        assertThat(CacheLock.exclusive(cache, Duration.ZERO)).isEmpty();
        first.close();
        assertThat(CacheLock.exclusive(cache, Duration.ZERO)).as("one shared holder is left").isEmpty();
        second.close();
        second.close(); // harmless
        Optional<CacheLock> exclusive = CacheLock.exclusive(cache, Duration.ZERO);
        assertThat(exclusive).isPresent();
        exclusive.get().close();
    }

    @Test
    void a_start_waits_for_a_prune_to_finish() throws Exception {
        CacheLock prune = CacheLock.exclusive(cache, Duration.ZERO).orElseThrow();
        CompletableFuture<CacheLock> start = CompletableFuture.supplyAsync(() -> CacheLock.shared(cache));
        // blocked while the prune holds the lock, and stays so
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !start.isDone());
        prune.close();
        start.get(30, TimeUnit.SECONDS).close();
        CacheLock.exclusive(cache, Duration.ZERO).orElseThrow().close();
    }

    @Test
    void an_image_use_is_seen_until_it_ends() throws Exception {
        Path build = cache.resolve("images").resolve("busybox-0123456789abcdef");
        java.nio.file.Files.createDirectories(build);
        assertThat(ImageUse.inUse(build)).isFalse();
        SharedFileLock.Held one = SharedFileLock.acquire(ImageUse.file(build), "test");
        SharedFileLock.Held two = SharedFileLock.acquire(ImageUse.file(build), "test");
        assertThat(ImageUse.inUse(build)).isTrue();
        one.close();
        assertThat(ImageUse.inUse(build)).as("the second machine still runs").isTrue();
        two.close();
        assertThat(ImageUse.inUse(build)).isFalse();
    }
}
