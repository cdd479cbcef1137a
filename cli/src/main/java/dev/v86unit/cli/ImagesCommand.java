package dev.v86unit.cli;

import dev.v86unit.tooling.Cache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code images}: the cache's built images and what the rest of it takes. */
@Command(name = "images", description = {"Lists the built images in the cache (name and packages, id, size on disk, last use,"
        + " status) and the size of its snapshots, configured layers, content store, .deb cache and Node host.",
        "Last use is when a machine of the image last started (the modification time of images/<build>.use)."})
final class ImagesCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--no-trunc", description = "Show whole image ids.")
    boolean fullIds;

    @Override
    public Integer call() throws IOException {
        main.applySettings();
        String text = Reports.images(Cache.configured().usage(), ZoneId.systemDefault(), fullIds);
        main.stdout.write(text.getBytes(StandardCharsets.UTF_8));
        main.stdout.flush();
        return 0;
    }
}
