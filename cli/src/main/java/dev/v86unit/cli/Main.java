package dev.v86unit.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code java -jar v86unit-cli.jar}: a shell or a command in a machine of an image, as a test would get
 * it, and the cache's images and pruning. Uses only the framework's API and its tooling hook.
 */
@Command(name = "v86unit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Machines of v86unit's i386 images from the command line, and the image cache.",
        subcommands = {ShellCommand.class, ExecCommand.class, ImagesCommand.class, PruneCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Settings as in tests: system properties (-Dv86unit.cache.dir=...) or environment variables"
                + " (V86UNIT_CACHE_DIR, V86UNIT_NODE, ...). Exit status: exec and shell that of the guest's command or shell;"
                + " 2 a usage error; 124 a timeout; 125 v86unit could not run it."})
public final class Main {

    /** The exit status when v86unit could not run the command (as {@code docker run}). */
    static final int FAILED = 125;
    /** The exit status of a command that timed out (as {@code timeout(1)}). */
    static final int TIMED_OUT = 124;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log what machines and image builds do (INFO) on stderr; without it only warnings.")
    boolean verbose;

    @Option(names = "--cache-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The v86unit cache to use (default: v86unit.cache.dir, V86UNIT_CACHE_DIR, ~/.cache/v86unit).")
    Path cacheDir;

    /** Where commands write and read, as bytes; tests replace them. */
    final InputStream stdin;
    final OutputStream stdout;
    final OutputStream stderr;

    Main(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        // before the first logger exists: slf4j-simple reads its level once
        if (List.of(args).contains("-v") || List.of(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        // one machine per run: closing it ends its Node process at once, nothing is kept for a next user
        if (System.getProperty("v86unit.pool.size") == null) {
            System.setProperty("v86unit.pool.size", "0");
        }
        Main main = new Main(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err));
        System.exit(main.commandLine().execute(args));
    }

    /** @return the parser and runner of this command line */
    CommandLine commandLine() {
        CommandLine line = new CommandLine(this);
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("v86unit: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return FAILED;
        });
        return line;
    }

    /** Applies the global options (the cache directory) before a command uses the settings. */
    void applySettings() {
        if (cacheDir != null) {
            System.setProperty("v86unit.cache.dir", cacheDir.toAbsolutePath().toString());
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"v86unit-cli " + (version == null ? "(development build)" : version)};
        }
    }
}
