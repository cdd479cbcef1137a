package dev.v86unit.images.internal.build;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ImageLockTest {

    /** Run by a second JVM (java's single-file source launcher): exit 0 if it got the lock, 3 if not. */
    private static final String PROBE = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            public class LockProbe {
                public static void main(String[] args) throws Exception {
                    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE)) {
                        System.exit(channel.tryLock() == null ? 3 : 0);
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private Path lockFile;

    @BeforeEach
    void setUp() {
        lockFile = dir.resolve("busybox-0123456789abcdef.lock");
    }

    @Test
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    void should_keep_another_process_out_until_released() throws Exception {
        Path probe = Files.writeString(dir.resolve("LockProbe.java"), PROBE);

        try (ImageLock lock = ImageLock.acquire(lockFile, "test")) {
            assertThat(runProbe(probe)).as("exit code of the other JVM while we hold the lock").isEqualTo(3);
        }
        assertThat(runProbe(probe)).as("exit code of the other JVM after release").isZero();
    }

    @Test
    @SuppressWarnings("try")
    void should_make_a_second_thread_wait() throws Exception {
        AtomicBoolean secondGotIt = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread second;
        try (ImageLock lock = ImageLock.acquire(lockFile, "test")) {
            second = new Thread(() -> {
                started.countDown();
                try (ImageLock other = ImageLock.acquire(lockFile, "test")) {
                    secondGotIt.set(true);
                }
            });
            second.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            await("the second thread to stay without the lock while the first holds it")
                    .during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !secondGotIt.get());
        }
        second.join(10_000);
        assertThat(secondGotIt).isTrue();
    }

    private static int runProbe(Path probe) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, probe.toString(), probe.resolveSibling(
                "busybox-0123456789abcdef.lock").toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return process.exitValue();
    }
}
