package dev.v86unit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.tooling.PruneOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Argument parsing, and images and prune on caches of fake files (no machines). */
class CliTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final StringWriter picocliErr = new StringWriter();

    private CommandLine cli() {
        CommandLine line = new Main(new ByteArrayInputStream(new byte[0]), stdout, stderr).commandLine();
        line.setErr(new PrintWriter(picocliErr, true));
        line.setOut(new PrintWriter(new StringWriter(), true));
        return line;
    }

    private <T> T parsed(Class<T> type, String... args) {
        CommandLine line = cli();
        CommandLine.ParseResult result = line.parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    @Test
    void exec_takes_the_image_packages_and_the_command_after_the_double_dash() {
        ExecCommand exec = parsed(ExecCommand.class, "exec", "debian", "--packages", "bc,jq", "-p", "tcc", "--", "sh", "-c", "exit 3");
        assertThat(exec.image.image).isEqualTo("debian");
        assertThat(exec.image.packages).containsExactly("bc", "jq", "tcc");
        assertThat(exec.image.spec().packages()).containsExactlyInAnyOrder("bc", "jq", "tcc");
        assertThat(exec.command).containsExactly("sh", "-c", "exit 3");
        assertThat(exec.timeout).isNull();
        assertThat(ExecCommand.shellLine(exec.command)).isEqualTo("'sh' '-c' 'exit 3'");
    }

    @Test
    void exec_arguments_reach_the_guest_as_they_are() {
        assertThat(ExecCommand.shellLine(List.of("printf", "%s\\n", "it's", "$HOME", ""))).isEqualTo("'printf' '%s\\n' 'it'\\''s' '$HOME' ''");
    }

    @Test
    void exec_timeouts_are_seconds_or_iso_durations() {
        assertThat(parsed(ExecCommand.class, "exec", "busybox", "--timeout", "90", "--", "true").timeout).isEqualTo(Duration.ofSeconds(90));
        assertThat(parsed(ExecCommand.class, "exec", "busybox", "--timeout", "PT5M", "--", "true").timeout).isEqualTo(Duration.ofMinutes(5));
        assertThat(cli().execute("exec", "busybox", "--timeout", "soon", "--", "true")).isEqualTo(2);
        assertThat(picocliErr.toString()).contains("soon");
    }

    @Test
    void usage_errors_exit_2_without_starting_a_machine() {
        assertThat(cli().execute("exec", "busybox")).as("no command").isEqualTo(2);
        assertThat(cli().execute("exec")).as("no image").isEqualTo(2);
        assertThat(cli().execute("shell")).as("no image").isEqualTo(2);
        assertThat(cli().execute("rm", "busybox")).as("no such command").isEqualTo(2);
        assertThat(cli().execute("prune", "--bogus")).isEqualTo(2);
        assertThat(picocliErr.toString()).contains("Missing required parameter").contains("Unknown option: '--bogus'");
    }

    @Test
    void shell_takes_an_image_and_packages() {
        ShellCommand shell = parsed(ShellCommand.class, "shell", "debian", "--packages", "figlet");
        assertThat(shell.image.image).isEqualTo("debian");
        assertThat(shell.image.packages).containsExactly("figlet");
    }

    @Test
    void prune_options() {
        assertThat(parsed(PruneCommand.class, "prune").options()).isEqualTo(PruneOptions.defaults());
        assertThat(parsed(PruneCommand.class, "prune", "--dry-run", "--all", "--no-wait").options())
                .isEqualTo(new PruneOptions(true, true, Duration.ZERO));
        assertThat(parsed(PruneCommand.class, "prune", "-n", "--wait", "30").options()).isEqualTo(new PruneOptions(true, false,
                Duration.ofSeconds(30)));
    }

    @Test
    void images_of_an_empty_cache(@TempDir Path cache) {
        assertThat(cli().execute("--cache-dir", cache.toString(), "images")).isEqualTo(0);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Cache " + cache).contains("No images built yet.")
                .containsPattern("Total:\\s+0 files\\s+0 B");
    }

    @Test
    void images_lists_builds_and_prune_removes_the_stale_one(@TempDir Path cache) throws IOException {
        Path images = Files.createDirectories(cache.resolve("images"));
        Path stale = Files.createDirectories(images.resolve("busybox-0000000000000000"));
        Files.writeString(stale.resolve("manifest.json"), "{\"id\":\"sha256:" + "ab".repeat(32)
                + "\",\"inputs\":[{\"filename\":\"pool/main/b/busybox_1.deb\"}]}");
        Files.write(stale.resolve("vmlinuz"), new byte[5000]);
        Files.createDirectories(images.resolve("debs"));
        Files.write(images.resolve("debs").resolve("busybox_1.deb"), new byte[2000]);

        assertThat(cli().execute("--cache-dir", cache.toString(), "images")).isEqualTo(0);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).containsPattern("busybox\\s+sha256:abababababab\\s+5\\.\\d kB\\s+-\\s+stale")
                .containsPattern(".deb cache:\\s+1 files\\s+2\\.0 kB");
        stdout.reset();

        assertThat(cli().execute("--cache-dir", cache.toString(), "prune", "--dry-run")).isEqualTo(0);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Would remove image busybox sha256:abababababab")
                .containsPattern("Would free in total:\\s+3 files\\s+7\\.\\d kB");
        assertThat(stale).isDirectory();
        stdout.reset();

        assertThat(cli().execute("--cache-dir", cache.toString(), "prune")).isEqualTo(0);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Removed image busybox")
                .containsPattern("Freed: \\.deb cache:\\s+1 files\\s+2\\.0 kB");
        assertThat(stale).doesNotExist();
        assertThat(images.resolve("debs").resolve("busybox_1.deb")).doesNotExist();
    }

    @Test
    void the_command_line_uses_only_the_api_and_the_tooling_hook() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(source)).as(source.toString()).doesNotContain("dev.v86unit.internal").doesNotContain(".images.internal");
            }
        }
    }
}
