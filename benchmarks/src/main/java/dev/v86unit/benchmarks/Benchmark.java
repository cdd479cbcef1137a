package dev.v86unit.benchmarks;

import dev.v86unit.Checkpoint;
import dev.v86unit.ExecResult;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.images.ImageStore;
import dev.v86unit.tooling.Cache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what users wait for and prints a table, v86unit beside QEMU TCG (same kernel, initramfs
 * and protocol) when {@code qemu-system-i386} is installed. Not a test: figures vary with the
 * machine's load, so they are compared as ratios within one run, never asserted.
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am verify -DskipTests -Dbenchmark [-Dbenchmark.args="--runs 5 --execs 100"]
 * </pre>
 */
public final class Benchmark {

    private final int runs;
    private final int execs;
    private final String image;
    private final Map<String, Samples> v86 = new LinkedHashMap<>();
    private final Map<String, Samples> qemu = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private Benchmark(int runs, int execs, String image) {
        this.runs = runs;
        this.execs = execs;
        this.image = image;
    }

    /** A part to run alone, or null for all. */
    private static String only;

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int execs = 100;
        String image = "busybox";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only-installed" -> only = "installed";
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--execs" -> execs = Integer.parseInt(args[++i]);
                case "--image" -> image = args[++i];
                case "--only-network" -> only = "network";
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; known: --runs N --execs N --image NAME --only-installed --only-network");
            }
        }
        new Benchmark(runs, execs, image).run();
    }

    /**
     * Output workloads: each runs as it is (output to the test) and with its output to /dev/null in
     * the guest; the difference is what the transport costs.
     */
    private static final List<String> LINE_WORKLOADS = List.of(
            "seq 1 200000",
            "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done");
    /**
     * Commands before exec("true") is timed: v86 compiles a page of guest code once it ran often
     * enough, and one command runs kernel and shell code over many pages (measured: medians of 9-18 ms
     * over the first 100-300 commands after a restore, 3.3 ms after 400).
     */
    private static final int WARM_UP_EXECS = 500;
    /**
     * Unrecorded rounds of each output workload and its /dev/null twin before the recorded ones: the
     * emulator compiles the output path (pipe, forwarder, 9p) over the first runs (measured on debian:
     * {@code seq 1 200000} took 463, 385, 177, 154 ms, then 91-116 ms), and the /dev/null twin has less
     * code to compile, so medians of three cold-started pairs compared compilation (+116% and +231% in
     * two runs, against +30-46% warm).
     */
    private static final int OUTPUT_WARM_UP_ROUNDS = 3;
    /** Recorded rounds of each output workload and its twin, alternated. */
    private int outputRounds() {
        return Math.max(5, runs);
    }
    private static final String PYTHON_WORKLOAD = "python3 -c 'for i in range(200000): print(i)'";
    private static final long BULK_BYTES = 50_000_000;
    /** dd with large blocks measures the transport (busybox's head -c alone takes 15 s for 50 MB); tr is the case. */
    private static final List<String> BULK_WORKLOADS = List.of(
            "dd if=/dev/zero bs=50000 count=1000 2>/dev/null",
            "(dd if=/dev/zero bs=50000 count=1000 2>/dev/null) >&2",
            "head -c " + BULK_BYTES + " /dev/zero | tr '\\0' a");

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "v86unit benchmark: image %s, %d runs, %d execs; %d cores, %s %s, Java %s%n",
                image, runs, execs, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
        if ("installed".equals(only)) {
            measureInstalled();
            print();
            return;
        }
        if (!"network".equals(only)) {
            measureImageBuild();
            measureV86();
            measureOutput(image);
            if (!image.equals("debian")) {
                measureOutput("debian");
            }
            measureInstalled();
            measureQemu();
        }
        measureNetwork();
        print();
    }

    /** Line-wise and bulk output on a restored machine of {@code name}; rows are prefixed with the image if it is not the main one. */
    private void measureOutput(String name) {
        String prefix = name.equals(image) ? "" : "[" + name + "] ";
        if (!prefix.isEmpty()) {
            System.setProperty("v86unit.pool.size", "0");
            V86Machine.start(MachineSpec.of(name)).close(); // make sure the snapshot exists
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try (V86Machine vm = V86Machine.start(MachineSpec.of(name))) {
                    check(vm.exec("true"));
                    v86(prefix + "restore in a new process -> first result").add(since(start));
                }
            }
            System.clearProperty("v86unit.pool.size");
            measureHandOn(name, prefix);
        }
        try (V86Machine vm = V86Machine.start(MachineSpec.of(name))) {
            List<String> workloads = new ArrayList<>(LINE_WORKLOADS);
            if (name.equals("debian")) {
                workloads.add(PYTHON_WORKLOAD);
            }
            for (String workload : workloads) {
                for (int i = 0; i < OUTPUT_WARM_UP_ROUNDS + outputRounds(); i++) {
                    Duration piped = check(vm.exec(workload, Duration.ofMinutes(5))).duration();
                    Duration alone = check(vm.exec(workload + " >/dev/null", Duration.ofMinutes(5))).duration();
                    if (i >= OUTPUT_WARM_UP_ROUNDS) {
                        v86(prefix + workload).add(piped);
                        v86(prefix + workload + " >/dev/null").add(alone);
                    }
                }
                overhead(prefix + workload, v86);
            }
            for (String workload : BULK_WORKLOADS) {
                for (int i = 0; i < 3; i++) {
                    ExecResult result = check(vm.exec(workload, Duration.ofMinutes(5)));
                    long bytes = result.stdoutBytes().length + result.stderrBytes().length;
                    if (bytes != BULK_BYTES) {
                        throw new IllegalStateException(workload + " gave " + bytes + " bytes, not " + BULK_BYTES);
                    }
                    v86(prefix + workload).add(result.duration());
                }
                v86(prefix + workload + " >/dev/null").add(check(vm.exec(workload + " >/dev/null", Duration.ofMinutes(5))).duration());
                rate(prefix + workload, v86);
            }
            notes.add(String.format(Locale.ROOT, "%sNode host peak RSS after the 50 MB outputs: %.0f MB (VmHWM)", prefix,
                    nodePeakRssKb().orElse(0L) / 1024.0));
        }
    }

    /**
     * The debian image as an installed system: cold boots from its configured layer, Python's start with
     * precompiled bytecode (the first run after a reset against later ones), and what the 9p root costs
     * against copies on the guest's tmpfs (the interpreter with its stdlib, and a dynamically linked
     * {@code /bin/true}). QEMU has no rows here: its 9p needs the root as a host folder.
     */
    private void measureInstalled() {
        String prefix = "[debian] ";
        System.setProperty("v86unit.pool.size", "0");
        V86Machine.start(MachineSpec.of("debian")).close(); // the configured layer and the snapshot exist
        for (int i = 0; i < Math.max(3, runs / 2); i++) {
            long start = System.nanoTime();
            try (V86Machine vm = V86Machine.start(MachineSpec.of("debian").withSnapshot(false))) {
                check(vm.exec("true"));
                v86(prefix + "cold boot from the configured layer (new process) -> first result").add(since(start));
                Duration untilRead = since(start);
                bootPhases(prefix, untilRead, () -> check(vm.exec(BOOT_LOG)).stdout(), this::v86);
            }
        }
        System.clearProperty("v86unit.pool.size");
        String pass = "python3 -c pass";
        String imports = "python3 -c 'import json, sqlite3, ssl'";
        try (V86Machine vm = V86Machine.start(MachineSpec.of("debian"))) {
            for (int i = 0; i < Math.max(3, runs / 2); i++) {
                vm.reset();
                v86(prefix + pass + ", first run after a reset").add(check(vm.exec(pass, Duration.ofMinutes(2))).duration());
                v86(prefix + pass + ", again").add(check(vm.exec(pass, Duration.ofMinutes(2))).duration());
                vm.reset();
                v86(prefix + imports + ", first run after a reset").add(check(vm.exec(imports, Duration.ofMinutes(2))).duration());
                v86(prefix + imports + ", again").add(check(vm.exec(imports, Duration.ofMinutes(2))).duration());
            }
            // A class that runs the imports once in @BeforeAll: its start state (a checkpoint) holds the
            // pages they read, and a reset to it keeps the code compiled for them.
            vm.reset();
            check(vm.exec(imports, Duration.ofMinutes(2)));
            Checkpoint warmed = vm.checkpoint();
            for (int i = 0; i < Math.max(3, runs / 2); i++) {
                vm.restore(warmed);
                v86(prefix + imports + ", first run after a restore to a checkpoint taken after one run").add(
                        check(vm.exec(imports, Duration.ofMinutes(2))).duration());
            }
            vm.reset();
            check(vm.exec("mkdir -p /tmp/py/bin /tmp/py/lib && cp /usr/bin/python3.11 /tmp/py/bin/"
                    + " && cp -a /usr/lib/python3.11 /tmp/py/lib/ && cp /usr/bin/true /tmp/true", Duration.ofMinutes(5)));
            String onTmpfs = "PYTHONHOME=/tmp/py /tmp/py/bin/python3.11";
            String[][] variants = {
                    {pass + ", from the 9p root", pass},
                    {pass + ", interpreter and stdlib on tmpfs", onTmpfs + " -c pass"},
                    {imports + ", from the 9p root", imports},
                    {imports + ", interpreter and stdlib on tmpfs", onTmpfs + " -c 'import json, sqlite3, ssl'"},
                    {"20 x /usr/bin/true (dynamically linked) from the 9p root", "i=0; while [ $i -lt 20 ]; do /usr/bin/true; i=$((i+1)); done"},
                    {"20 x /usr/bin/true copied to tmpfs", "i=0; while [ $i -lt 20 ]; do /tmp/true; i=$((i+1)); done"}};
            // The two copies of the interpreter are different guest memory, which the emulator compiles
            // separately: both are run until compiled (4 rounds, measured: the medians of the first
            // rounds follow compilation, not the filesystem), then alternately, so that this machine's
            // load swings hit both alike.
            for (int round = 0; round < 4 + Math.max(5, runs); round++) {
                for (String[] variant : variants) {
                    Duration took = check(vm.exec(variant[1], Duration.ofMinutes(2))).duration();
                    if (round >= 4) {
                        v86(prefix + variant[0]).add(took);
                    }
                }
            }
        }
        for (String[] pair : new String[][] {
                {pass + ", first run after a reset", pass + ", again"},
                {imports + ", first run after a reset", imports + ", again"},
                {imports + ", first run after a restore to a checkpoint taken after one run", imports + ", again"},
                {pass + ", from the 9p root", pass + ", interpreter and stdlib on tmpfs"},
                {imports + ", from the 9p root", imports + ", interpreter and stdlib on tmpfs"},
                {"20 x /usr/bin/true (dynamically linked) from the 9p root", "20 x /usr/bin/true copied to tmpfs"}}) {
            Duration a = v86.get(prefix + pair[0]).medianDuration();
            Duration b = v86.get(prefix + pair[1]).medianDuration();
            notes.add(String.format(Locale.ROOT, "v86 [debian] %s: %+.0f%% against %s (%s vs %s)", pair[0],
                    100.0 * (a.toNanos() - b.toNanos()) / b.toNanos(), pair[1], Samples.format(a), Samples.format(b)));
        }
    }

    private void overhead(String row, Map<String, Samples> table) {
        Duration piped = table.get(row).medianDuration();
        Duration alone = table.get(row + " >/dev/null").medianDuration();
        notes.add(String.format(Locale.ROOT, "%s %s: output to the test adds %+.0f%% to the command's own time (%s vs %s to /dev/null)",
                table == qemu ? "QEMU" : "v86", row, 100.0 * (piped.toNanos() - alone.toNanos()) / alone.toNanos(),
                Samples.format(piped), Samples.format(alone)));
    }

    private void rate(String row, Map<String, Samples> table) {
        Duration median = table.get(row).medianDuration();
        notes.add(String.format(Locale.ROOT, "%s %s: %.1f MB/s to the test (median %s)", table == qemu ? "QEMU" : "v86", row,
                BULK_BYTES / 1e6 / (median.toNanos() / 1e9), Samples.format(median)));
    }

    private Samples v86(String row) {
        return v86.computeIfAbsent(row, r -> new Samples());
    }

    private Samples qemu(String row) {
        return qemu.computeIfAbsent(row, r -> new Samples());
    }

    /** Builds the image into an empty cache directory (download + build), once. */
    private void measureImageBuild() throws IOException {
        Path emptyCache = Files.createTempDirectory("v86unit-bench-cache");
        ImageStore store = new ImageStore(emptyCache.resolve("images"), Cache.configured().debianMirror());
        long start = System.nanoTime();
        store.get(image);
        v86("image build, empty cache (download + build)").add(since(start));
        start = System.nanoTime();
        store.get(image);
        v86("image from the cache (verified)").add(since(start));
    }

    private void measureV86() {
        // A closed machine goes back to the pool; for cold boots and restores from the snapshot, keep none.
        System.setProperty("v86unit.pool.size", "0");
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try (V86Machine vm = V86Machine.start(MachineSpec.of(image).withSnapshot(false))) {
                check(vm.exec("true"));
                v86("cold boot (new process) -> first result").add(since(start));
                Duration untilRead = since(start);
                bootPhases("", untilRead, () -> check(vm.exec(BOOT_LOG)).stdout(), this::v86);
            }
        }
        V86Machine.start(MachineSpec.of(image)).close(); // make sure the snapshot exists
        long peakRssKb = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try (V86Machine vm = V86Machine.start(MachineSpec.of(image))) {
                check(vm.exec("true"));
                v86("restore in a new process -> first result").add(since(start));
                if (i == 0) {
                    for (int r = 0; r < runs * 4; r++) {
                        check(vm.exec("touch /root/dirty"));
                        long reset = System.nanoTime();
                        vm.reset();
                        check(vm.exec("true"));
                        v86("in-process reset -> first result").add(since(reset));
                    }
                    // A restore in a new process starts with nothing compiled: the emulator runs the
                    // guest's code interpreted until it is hot, over the first hundreds of commands.
                    vm.reset();
                    for (int n = 0; n < execs; n++) {
                        v86("exec(\"true\"), the first " + execs + " in a new process (nothing compiled yet)")
                                .add(check(vm.exec("true")).duration());
                    }
                    for (int w = 0; w < WARM_UP_EXECS; w++) {
                        vm.exec("true"); // warm-up: the JITs of the emulator and of the JVM
                    }
                    for (int n = 0; n < execs; n++) {
                        v86("exec(\"true\")").add(check(vm.exec("true")).duration());
                    }
                    // What the next test of a class sees: a reset in place keeps the compiled code of
                    // every page it leaves unchanged.
                    for (int r = 0; r < 3; r++) {
                        vm.reset();
                        for (int n = 0; n < execs; n++) {
                            v86("exec(\"true\"), the first " + execs + " after a reset of a warm machine")
                                    .add(check(vm.exec("true")).duration());
                        }
                    }
                    check(vm.exec("dd if=/dev/zero bs=1M count=8 2>/dev/null | tr '\\0' x", Duration.ofMinutes(2)));
                }
                peakRssKb = Math.max(peakRssKb, nodePeakRssKb().orElse(0L));
            }
        }
        notes.add(String.format(Locale.ROOT, "Node host peak RSS: %.0f MB (VmHWM, after 8 MB of output)", peakRssKb / 1024.0));
        System.clearProperty("v86unit.pool.size");
        measureHandOn(image, "");
    }

    /** A machine closed and started again with the same spec: the pool resets it and hands it on. */
    private void measureHandOn(String name, String prefix) {
        V86Machine.start(MachineSpec.of(name)).close();
        for (int i = 0; i < runs * 4; i++) {
            long start = System.nanoTime();
            try (V86Machine vm = V86Machine.start(MachineSpec.of(name))) {
                check(vm.exec("true"));
                v86(prefix + "start, machine handed on by the pool -> first result").add(since(start));
                check(vm.exec("echo x > /root/dirty"));
            }
            // closing resets the machine for the next start (on the closing thread)
        }
    }

    private void measureQemu() throws Exception {
        Optional<Path> binary = QemuMachine.find();
        if (binary.isEmpty()) {
            notes.add("QEMU column skipped: qemu-system-i386 is not installed (Debian: apt-get install qemu-system-x86)");
            return;
        }
        Image built = Cache.configured().image(image, java.util.List.of());
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try (QemuMachine vm = QemuMachine.boot(binary.get(), built)) {
                vm.exec("true");
                qemu("cold boot (new process) -> first result").add(since(start));
                Duration untilRead = since(start);
                bootPhases("", untilRead, () -> {
                    vm.exec("(" + BOOT_LOG + ") >/mnt/v86unit/boot.txt");
                    return vm.shareFile("boot.txt");
                }, this::qemu);
                if (i == 0) {
                    for (int w = 0; w < WARM_UP_EXECS; w++) {
                        vm.exec("true");
                    }
                    for (int n = 0; n < execs; n++) {
                        long exec = System.nanoTime();
                        vm.exec("true");
                        qemu("exec(\"true\")").add(since(exec));
                    }
                    for (String workload : LINE_WORKLOADS) {
                        for (int r = 0; r < OUTPUT_WARM_UP_ROUNDS; r++) {
                            vm.exec(workload);
                            vm.exec(workload + " >/dev/null");
                        }
                        for (int r = 0; r < outputRounds(); r++) {
                            timed(vm, workload);
                            timed(vm, workload + " >/dev/null");
                        }
                        overhead(workload, qemu);
                    }
                    for (String workload : BULK_WORKLOADS) {
                        for (int r = 0; r < 3; r++) {
                            timed(vm, workload);
                            if (vm.lastOutputBytes() != BULK_BYTES) {
                                throw new IllegalStateException("QEMU: " + workload + " gave " + vm.lastOutputBytes() + " bytes");
                            }
                        }
                        timed(vm, workload + " >/dev/null");
                        rate(workload, qemu);
                    }
                }
            }
        }
        notes.add("QEMU TCG (" + binary.get() + "): same kernel, initramfs, command line and protocol; no snapshot rows"
                + " (its savevm needs a qcow2 disk)");
    }

    /** Ports (see NetworkBenchmark), v86unit and QEMU TCG user networking with the same workloads. */
    private void measureNetwork() throws Exception {
        int bulkRuns = Math.max(2, runs / 2);
        try (java.net.ServerSocket sink = NetworkBenchmark.sinkServer();
                V86Machine vm = V86Machine.start(MachineSpec.of(image).withExposedPorts(NetworkBenchmark.HTTP_PORT,
                        NetworkBenchmark.SINK_PORT, NetworkBenchmark.ECHO_PORT).withHostPorts(sink.getLocalPort()))) {
            NetworkBenchmark.Guest guest = new NetworkBenchmark.Guest() {
                @Override
                public void run(String command) {
                    check(vm.exec(command, Duration.ofMinutes(5)));
                }

                @Override
                public int hostPort(int guestPort) {
                    return vm.hostPort(guestPort);
                }
            };
            NetworkBenchmark.measure("v86unit", guest, sink, bulkRuns, (row, d) -> v86(row).add(d), notes::add);
            notes.add(NetworkBenchmark.leakCheck(guest));
        }
        Optional<Path> binary = QemuMachine.find();
        if (binary.isEmpty()) {
            return;
        }
        Image built = Cache.configured().image(image, java.util.List.of());
        Map<Integer, Integer> forwards = new LinkedHashMap<>();
        try (java.net.ServerSocket sink = NetworkBenchmark.sinkServer();
                QemuMachine vm = QemuMachine.bootWithPorts(binary.get(), built, NetworkBenchmark.guestPorts(), forwards)) {
            NetworkBenchmark.Guest guest = new NetworkBenchmark.Guest() {
                @Override
                public void run(String command) throws Exception {
                    if (vm.exec(command) != 0) {
                        throw new IllegalStateException("QEMU: benchmark command failed: " + command);
                    }
                }

                @Override
                public int hostPort(int guestPort) {
                    return forwards.get(guestPort);
                }
            };
            NetworkBenchmark.measure("QEMU TCG -nic user", guest, sink, bulkRuns, (row, d) -> qemu(row).add(d), notes::add);
        }
    }

    private void timed(QemuMachine vm, String workload) throws Exception {
        long start = System.nanoTime();
        if (vm.exec(workload) != 0) {
            throw new IllegalStateException("QEMU: benchmark command failed: " + workload);
        }
        qemu(workload).add(since(start));
    }

    private static ExecResult check(ExecResult result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException("benchmark command failed: " + result);
        }
        return result;
    }

    /** Read right after a cold boot: the guest's uptime, then its kernel log (with timestamps). */
    private static final String BOOT_LOG = "cat /proc/uptime; dmesg";
    private static final Pattern KERNEL_LINE = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\] (.*)$", Pattern.MULTILINE);

    /**
     * Where a cold boot's time went (issue 9): the guest kernel's clock starts when the kernel does,
     * so what came before it (the host process, the emulator, the BIOS, the boot loader's setup code;
     * on QEMU also the kernel's decompression, which v86unit's host does at image build) is
     * the wall time minus the guest's uptime; the kernel log dates /init and the 9p modules.
     */
    private void bootPhases(String prefix, Duration untilRead, java.util.concurrent.Callable<String> read,
            java.util.function.Function<String, Samples> column) {
        try {
            bootPhases(prefix, untilRead, read.call(), column);
        } catch (Exception e) {
            notes.add(prefix + "cold boot phases not measured: " + e.getMessage());
        }
    }

    private static void bootPhases(String prefix, Duration untilRead, String log, java.util.function.Function<String, Samples> column) {
        double uptime = Double.parseDouble(log.strip().split("\\s+")[0]);
        double init = -1;
        double modules = -1;
        Matcher line = KERNEL_LINE.matcher(log);
        while (line.find()) {
            if (init < 0 && line.group(2).startsWith("Run /init as init process")) {
                init = Double.parseDouble(line.group(1));
            } else if (line.group(2).startsWith("9p: Installing v9fs")) {
                modules = Double.parseDouble(line.group(1));
            }
        }
        if (init < 0 || modules < init) {
            throw new IllegalStateException("no /init or 9p module in the kernel log:\n" + log);
        }
        column.apply(prefix + "cold boot: before the kernel's clock (host process, emulator, BIOS, setup; QEMU also decompresses the kernel)")
                .add(Duration.ofNanos(untilRead.toNanos() - (long) (uptime * 1e9)));
        column.apply(prefix + "cold boot: kernel start -> /init").add(seconds(init));
        column.apply(prefix + "cold boot: /init -> 9p modules loaded").add(seconds(modules - init));
        column.apply(prefix + "cold boot: 9p modules -> first result (root, init, control shell, protocol mode)").add(seconds(uptime - modules));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
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

    private void print() {
        System.out.println();
        String format = "| %-70s | %4s | %9s | %9s | %4s | %9s | %9s |%n";
        System.out.printf(Locale.ROOT, format, "", "runs", "v86 med", "v86 p90", "runs", "QEMU med", "QEMU p90");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(72), "-".repeat(6), "-".repeat(11), "-".repeat(11),
                "-".repeat(6), "-".repeat(11), "-".repeat(11));
        for (Map.Entry<String, Samples> row : v86.entrySet()) {
            Samples ours = row.getValue();
            Samples theirs = qemu.getOrDefault(row.getKey(), new Samples());
            System.out.printf(Locale.ROOT, format, row.getKey(), ours.count(), ours.median(), ours.p90(),
                    theirs.count() == 0 ? "" : theirs.count(), theirs.median(), theirs.p90());
        }
        System.out.println();
        notes.forEach(note -> System.out.println("- " + note));
    }

    /** Durations of one row. */
    static final class Samples {
        private final List<Duration> values = new ArrayList<>();

        void add(Duration duration) {
            values.add(duration);
        }

        int count() {
            return values.size();
        }

        String median() {
            return values.isEmpty() ? "-" : format(medianDuration());
        }

        Duration medianDuration() {
            return sorted().get(values.size() / 2);
        }

        String p90() {
            return values.size() < 2 ? "" : format(sorted().get(Math.max(0, (int) Math.ceil(values.size() * 0.9) - 1)));
        }

        private List<Duration> sorted() {
            return values.stream().sorted().toList();
        }

        static String format(Duration duration) {
            double millis = duration.toNanos() / 1e6;
            return millis >= 1000 ? String.format(Locale.ROOT, "%.2f s", millis / 1000) : String.format(Locale.ROOT, "%.1f ms", millis);
        }
    }
}
