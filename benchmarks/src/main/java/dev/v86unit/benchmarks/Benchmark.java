package dev.v86unit.benchmarks;

import dev.v86unit.ExecResult;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Machine;
import dev.v86unit.images.ImageStore;
import dev.v86unit.internal.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures what users wait for and prints a table. Not a test: figures vary with the machine's load,
 * so they are compared as ratios within one run, never asserted.
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am verify -DskipTests -Dbenchmark [-Dbenchmark.args="--boots 3 --execs 100"]
 * </pre>
 */
public final class Benchmark {

    private final int boots;
    private final int execs;
    private final String image;
    private final List<Row> rows = new ArrayList<>();

    private Benchmark(int boots, int execs, String image) {
        this.boots = boots;
        this.execs = execs;
        this.image = image;
    }

    public static void main(String[] args) throws Exception {
        int boots = 3;
        int execs = 100;
        String image = "busybox";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--boots" -> boots = Integer.parseInt(args[++i]);
                case "--execs" -> execs = Integer.parseInt(args[++i]);
                case "--image" -> image = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; known: --boots N --execs N --image NAME");
            }
        }
        new Benchmark(boots, execs, image).run();
    }

    private void run() throws IOException {
        System.out.printf(Locale.ROOT, "v86unit benchmark: image %s, %d boots, %d execs, %d cores, %s %s, Java %s%n",
                image, boots, execs, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
        measureImageBuild();
        measureColdBoots();
        printTable();
    }

    /** Builds the image into an empty cache directory (download + build), once. */
    private void measureImageBuild() throws IOException {
        Path emptyCache = Files.createTempDirectory("v86unit-bench-cache");
        ImageStore store = new ImageStore(emptyCache.resolve("images"), Settings.load().debianMirror());
        long start = System.nanoTime();
        store.get(image);
        rows.add(Row.single("image build, empty cache (download + build)", Duration.ofNanos(System.nanoTime() - start)));
        start = System.nanoTime();
        store.get(image);
        rows.add(Row.single("image from the cache (verify only)", Duration.ofNanos(System.nanoTime() - start)));
    }

    private void measureColdBoots() {
        List<Duration> bootTimes = new ArrayList<>();
        List<Duration> execTimes = new ArrayList<>();
        long peakRssKb = 0;
        for (int i = 0; i < boots; i++) {
            long start = System.nanoTime();
            try (V86Machine vm = V86Machine.start(MachineSpec.of(image))) {
                ExecResult first = vm.exec("true");
                bootTimes.add(Duration.ofNanos(System.nanoTime() - start));
                if (first.exitCode() != 0) {
                    throw new IllegalStateException("true failed: " + first);
                }
                if (i == 0) {
                    for (int w = 0; w < 100; w++) {
                        vm.exec("true"); // warm-up: the JIT of the emulator and of the JVM
                    }
                    for (int n = 0; n < execs; n++) {
                        execTimes.add(vm.exec("true").duration());
                    }
                    vm.exec("dd if=/dev/zero bs=1M count=8 2>/dev/null | tr '\\0' x", Duration.ofMinutes(2));
                }
                peakRssKb = Math.max(peakRssKb, nodePeakRssKb().orElse(0L));
            }
        }
        rows.add(Row.of("cold boot (new process) -> first result", bootTimes));
        rows.add(Row.of("exec(\"true\")", execTimes));
        rows.add(new Row("Node host peak RSS (MB)", 1, String.format(Locale.ROOT, "%.0f", peakRssKb / 1024.0), "", ""));
    }

    /** The Node host is this JVM's child; its peak resident set (VmHWM) is in /proc on Linux. */
    private static Optional<Long> nodePeakRssKb() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("node")).orElse(false))
                .map(p -> Path.of("/proc", Long.toString(p.pid()), "status"))
                .filter(Files::isReadable)
                .map(Benchmark::vmHwmKb)
                .flatMap(Optional::stream)
                .max(Long::compare);
    }

    private static Optional<Long> vmHwmKb(Path status) {
        try {
            return Files.readAllLines(status).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void printTable() {
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-55s | %4s | %10s | %10s | %10s |%n", "what", "runs", "median", "p90", "min");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%n", "-".repeat(57), "-".repeat(6), "-".repeat(12), "-".repeat(12), "-".repeat(12));
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %-55s | %4d | %10s | %10s | %10s |%n", row.what(), row.runs(), row.median(), row.p90(), row.min());
        }
    }

    record Row(String what, int runs, String median, String p90, String min) {

        static Row single(String what, Duration duration) {
            return new Row(what, 1, format(duration), "", "");
        }

        static Row of(String what, List<Duration> samples) {
            List<Duration> sorted = samples.stream().sorted().toList();
            return new Row(what, sorted.size(), format(sorted.get(sorted.size() / 2)),
                    format(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1))), format(sorted.get(0)));
        }

        static String format(Duration duration) {
            double millis = duration.toNanos() / 1e6;
            return millis >= 1000 ? String.format(Locale.ROOT, "%.2f s", millis / 1000) : String.format(Locale.ROOT, "%.1f ms", millis);
        }
    }
}
