package dev.v86unit.cli;

import dev.v86unit.ExecOptions;
import dev.v86unit.ExecResult;
import dev.v86unit.ExecTimeoutException;
import dev.v86unit.V86Machine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code exec IMAGE [--packages ...] -- CMD...}: runs a command in a new machine and exits with its code. */
@Command(name = "exec", description = {"Runs CMD in a machine of IMAGE (from the snapshot tests use), prints its stdout and"
        + " stderr as they come and exits with its exit status.",
        "CMD is an argument list, quoted for the guest's shell: exec busybox -- sh -c 'echo a | wc -c'."})
final class ExecCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Mixin
    ImageOptions image = new ImageOptions();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Give up after this long (seconds, or ISO-8601 like PT5M); exit status 124. Default: no limit.")
    Duration timeout;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments, after --.")
    List<String> command;

    /** No limit, as far as a person waiting at a terminal is concerned. */
    static final Duration UNLIMITED = Duration.ofDays(365);

    /** @return the command line the guest's shell runs: each argument single-quoted */
    static String shellLine(List<String> arguments) {
        return arguments.stream().map(ExecCommand::quote).collect(Collectors.joining(" "));
    }

    static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    @Override
    public Integer call() {
        main.applySettings();
        OutputStream stdout = main.stdout;
        OutputStream stderr = main.stderr;
        try (V86Machine vm = V86Machine.start(image.spec())) {
            ExecOptions options = ExecOptions.defaults().withTimeout(timeout == null ? UNLIMITED : timeout)
                    .withOutputConsumer(frame -> write(frame.type() == dev.v86unit.OutputFrame.Type.STDOUT ? stdout : stderr,
                            frame.bytes()));
            ExecResult result = vm.exec(shellLine(command), options);
            return result.exitCode();
        } catch (ExecTimeoutException e) {
            write(stderr, ("v86unit: " + e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Main.TIMED_OUT;
        }
    }

    private static void write(OutputStream stream, byte[] bytes) {
        synchronized (stream) {
            try {
                stream.write(bytes);
                stream.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
