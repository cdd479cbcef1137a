package dev.v86unit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.ExecResult;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Machine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The jar as a user runs it, against real busybox machines, in a cache of its own
 * ({@code target/cli-it-cache}: the first test builds the image there and saves its snapshot).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final Path JAR = Path.of(System.getProperty("v86unit.cli.jar", "target/v86unit-cli.jar")).toAbsolutePath();
    private static final Path CACHE = Path.of("target", "cli-it-cache").toAbsolutePath();
    private static String previousCache;

    /** What a run of the jar printed and how it ended. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void cache() throws IOException {
        Files.createDirectories(CACHE);
        previousCache = System.getProperty("v86unit.cache.dir");
        System.setProperty("v86unit.cache.dir", CACHE.toString()); // the racing machine of this JVM
    }

    @AfterAll
    static void restore() {
        if (previousCache == null) {
            System.clearProperty("v86unit.cache.dir");
        } else {
            System.setProperty("v86unit.cache.dir", previousCache);
        }
    }

    static Run run(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "--cache-dir", CACHE.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-it", ".out");
        Path err = Files.createTempFile("cli-it", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                builder.redirectInput(new File("/dev/null"));
            }
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("the jar ends").isTrue();
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** @return the Node hosts running from this cache (each VM is one) */
    static List<ProcessHandle> nodeHosts() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(CACHE.resolve("node-host").toString()))
                .toList();
    }

    @Test
    @Order(1)
    void exec_prints_the_output_and_exits_with_the_commands_code() throws Exception {
        Run run = run(null, "exec", "busybox", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("out\n");
        assertThat(run.stderr()).isEqualTo("err\n");
        assertThat(nodeHosts()).as("no Node process left").isEmpty();
    }

    @Test
    @Order(2)
    void shell_runs_piped_keys_and_ends_with_exit() throws Exception {
        Run run = run("uname -a; echo \"sum=$((40+2))\"; exit\n", "shell", "busybox");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
        assertThat(run.stdout()).contains("Linux v86unit").contains("i686").contains("sum=42").doesNotContain("__V86_");
        assertThat(nodeHosts()).as("no Node process left").isEmpty();

        Run ended = run("echo before; exit 7\necho never\n", "shell", "busybox");
        assertThat(ended.exitCode()).as(ended.stderr()).isEqualTo(7);
        assertThat(ended.stdout()).contains("before").doesNotContain("\nnever");

        Run eof = run("echo no exit typed\n", "shell", "busybox");
        assertThat(eof.exitCode()).as("the end of the keys ends the shell (^D); " + eof.stderr()).isEqualTo(0);
        assertThat(eof.stdout()).contains("no exit typed");
    }

    @Test
    @Order(3)
    void images_lists_the_busybox_image_with_its_last_use() throws Exception {
        Run run = run(null, "images");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
        try (V86Machine vm = V86Machine.start("busybox")) {
            assertThat(run.stdout()).containsPattern("busybox\\s+" + vm.imageId().substring(0, 19)
                    + "\\s+\\d+\\.\\d MB\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+current");
        }
        assertThat(run.stdout()).containsPattern("Snapshots:\\s+[1-9]\\d* files").containsPattern(".deb cache:\\s+[1-9]\\d* files");
    }

    @Test
    @Order(4)
    void prune_racing_a_running_machine_keeps_what_it_needs() throws Exception {
        Path stale = CACHE.resolve("images").resolve("busybox-0000000000000000");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("manifest.json"), "{\"id\":\"sha256:" + "ab".repeat(32) + "\",\"inputs\":[]}");
        Path looseStoreFile = CACHE.resolve("images").resolve("rootfs-store").resolve("cd".repeat(32));
        FileUtils.writeStringToFile(looseStoreFile.toFile(), "nobody's", StandardCharsets.UTF_8);

        V86Machine vm = V86Machine.start(MachineSpec.of("busybox"));
        Path build;
        try {
            assertThat(vm.exec("echo before").stdout()).isEqualTo("before\n");
            build = buildOf(vm.imageId());
            Run prune = run(null, "prune", "--all", "--no-wait");
            assertThat(prune.exitCode()).as(prune.stderr()).isEqualTo(0);
            assertThat(prune.stdout()).contains("Removed image busybox sha256:abababababab").contains("Kept image busybox "
                    + vm.imageId().substring(0, 19) + ": a running machine uses it");
            assertThat(stale).doesNotExist();
            assertThat(looseStoreFile).doesNotExist();
            assertThat(build.resolve("vmlinuz")).exists();
            assertThat(snapshotsOf(vm.imageId())).isNotEmpty();

            assertThat(vm.exec("touch /root/x; echo after").stdout()).isEqualTo("after\n");
            vm.reset();
            ExecResult reset = vm.exec("test -e /root/x");
            assertThat(reset.exitCode()).as("the machine still resets to its start state").isEqualTo(1);
        } finally {
            vm.close();
        }
        assertThat(nodeHosts()).as("closed: v86unit.pool.size=0 in this JVM").isEmpty();

        Run after = run(null, "prune", "--all", "--no-wait");
        assertThat(after.exitCode()).as(after.stderr()).isEqualTo(0);
        assertThat(after.stdout()).contains("Removed image busybox " + vm.imageId().substring(0, 19))
                .containsPattern("Freed: snapshots:\\s+[1-9]\\d* files").containsPattern("Freed: \\.deb cache:\\s+[1-9]\\d* files");
        assertThat(build).doesNotExist();
        assertThat(snapshotsOf(vm.imageId())).isEmpty();
    }

    private static Path buildOf(String imageId) throws IOException {
        try (Stream<Path> dirs = Files.list(CACHE.resolve("images"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Path manifest = dir.resolve("manifest.json");
                if (Files.exists(manifest) && Files.readString(manifest).contains(imageId)) {
                    return dir;
                }
            }
        }
        throw new AssertionError("no build of " + imageId);
    }

    private static List<Path> snapshotsOf(String imageId) throws IOException {
        try (Stream<Path> files = Files.list(CACHE.resolve("snapshots"))) {
            return files.filter(f -> f.toString().endsWith(".json")).filter(f -> {
                try {
                    return Files.readString(f).contains(imageId);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }
}
