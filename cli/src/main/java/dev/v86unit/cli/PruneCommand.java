package dev.v86unit.cli;

import dev.v86unit.tooling.Cache;
import dev.v86unit.tooling.CacheInUseException;
import dev.v86unit.tooling.PruneOptions;
import dev.v86unit.tooling.PruneReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code prune}: removes what no kept image needs, under the cache's exclusive lock. */
@Command(name = "prune", description = {"Removes images this version of v86unit no longer builds (with --all: every image),"
        + " except those a running machine uses, then the snapshots and configured layers of image ids no longer kept,"
        + " the content-store files and cached .debs nothing kept refers to. Reports what it freed.",
        "Safe while tests run: it waits for machines that are starting and for image builds (the cache lock), and keeps"
        + " the images of running machines."})
final class PruneCommand implements Callable<Integer> {

    /** The exit status when the cache stayed in use (as EX_TEMPFAIL). */
    static final int IN_USE = 75;

    @ParentCommand
    Main main;

    @Option(names = {"-n", "--dry-run"}, description = "Report what would go, delete nothing.")
    boolean dryRun;

    @Option(names = {"-a", "--all"}, description = "Remove every image no running machine uses, not only stale ones.")
    boolean all;

    @Option(names = "--no-wait", description = "Fail (exit status 75) instead of waiting when the cache is in use.")
    boolean noWait;

    @Option(names = "--wait", paramLabel = "DURATION", converter = Durations.class, defaultValue = "PT1H",
            description = "How long to wait for the cache (seconds or ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration wait;

    PruneOptions options() {
        return PruneOptions.defaults().withDryRun(dryRun).withAll(all).withMaxWait(noWait ? Duration.ZERO : wait);
    }

    @Override
    public Integer call() throws IOException {
        main.applySettings();
        Cache cache = Cache.configured();
        PruneReport report;
        try {
            report = cache.prune(options());
        } catch (CacheInUseException e) {
            main.stderr.write(("v86unit: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            main.stderr.flush();
            return IN_USE;
        }
        main.stdout.write(("Cache " + cache.dir() + "\n" + Reports.prune(report)).getBytes(StandardCharsets.UTF_8));
        main.stdout.flush();
        return 0;
    }
}
