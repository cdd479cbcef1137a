package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.Checkpoint;
import dev.v86unit.ExecTimeoutException;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.internal.config.Settings;
import dev.v86unit.internal.host.HostRuntime;
import dev.v86unit.internal.machine.DefaultV86Machine.Start;
import dev.v86unit.internal.snapshot.SnapshotKey;
import dev.v86unit.internal.snapshot.SnapshotStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boot once, restore many: the snapshot store, in-place resets and checkpoints, on real machines. */
class SnapshotIT {

    static Image busybox;
    static HostRuntime runtime;
    static SnapshotKey key;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void image() {
        Settings settings = Settings.load();
        busybox = Machines.imageStore(settings).get("busybox");
        runtime = HostRuntime.prepare(settings);
        key = SnapshotKey.of(busybox, runtime, false);
    }

    static DefaultV86Machine machine() {
        return machine(busybox);
    }

    static DefaultV86Machine machine(Image image) {
        return new DefaultV86Machine("snap#" + NAMES.incrementAndGet(), MachineSpec.of("busybox"), image, runtime,
                Duration.ofMinutes(3), Duration.ofSeconds(30), Settings.DEFAULT_OUTPUT_LIMIT);
    }

    static DefaultV86Machine start(SnapshotStore store, boolean reuse) {
        DefaultV86Machine machine = machine();
        Machines.startFromSnapshot(machine, store, key, reuse);
        return machine;
    }

    /** The boot header's code32_start as the kernel got it, in hex. */
    static final String CODE32_START = "od -An -tx4 -j 532 -N 4 /sys/kernel/boot_params/data";

    /**
     * The tracing folder's files: the images' kernel command line skips the start-up step that makes
     * the tracers' and trace events' files (BuiltInRecipes.FAST_CMDLINE), so only the probes' are there.
     */
    static final String TRACING_FILES = "mount -t tracefs tracefs /sys/kernel/tracing && ls /sys/kernel/tracing";

    @Nested
    class The_snapshot_store {

        @Test
        void an_image_without_an_unpacked_kernel_boots_its_bzimage_through_the_decompressor(@TempDir Path dir) {
            Image bzImageOnly = new Image(busybox.name(), busybox.id(), busybox.kernel(), busybox.initrd(),
                    busybox.bios(), busybox.cmdline(), busybox.memoryMb(), busybox.manifest(), null, null);
            try (DefaultV86Machine machine = machine(bzImageOnly)) {
                Machines.startFromSnapshot(machine, new SnapshotStore(dir), key, false);
                assertThat(machine.exec(CODE32_START).stdout().strip()).isEqualTo("00100000");
            }
        }

        @Test
        void the_first_start_boots_and_saves_every_later_start_restores(@TempDir Path dir) throws Exception {
            SnapshotStore store = new SnapshotStore(dir);
            try (DefaultV86Machine first = start(store, true)) {
                assertThat(first.started()).isEqualTo(Start.COLD_BOOT);
                assertThat(first.exec("echo cold").stdout()).isEqualTo("cold\n");
                // the host put the image's unpacked kernel into memory and the setup code jumped to it
                // (the boot header's code32_start, 0x214 in the zero page; the decompressor is at 0x100000)
                assertThat(first.exec(CODE32_START).stdout().strip()).isEqualTo("01000000");
                // the kernel skipped making tracefs's files (0.55 s of a cold boot), and only those
                assertThat(first.exec(TRACING_FILES).stdout()).contains("kprobe_events").doesNotContain("available_events", "trace_pipe");
                // without a network device the init loads no network modules (each costs boot time)
                assertThat(first.exec("lsmod").stdout()).contains("9pnet_virtio").doesNotContain("virtio_net");
            }
            assertThat(dir.resolve(key.hash() + ".state")).isNotEmptyFile();
            assertThat(dir.resolve(key.hash() + ".json")).content().contains("\"sha256\"", busybox.id(), "\"v86Version\" : \"0.5.462\"");
            for (int i = 0; i < 2; i++) {
                try (DefaultV86Machine later = start(store, true)) {
                    assertThat(later.started()).isEqualTo(Start.SNAPSHOT);
                    assertThat(later.exec("echo warm; uname -m").stdout()).isEqualTo("warm\ni686\n");
                }
            }
        }

        @Test
        void a_corrupt_snapshot_is_detected_deleted_and_made_again(@TempDir Path dir) throws Exception {
            SnapshotStore store = new SnapshotStore(dir);
            start(store, true).close();
            Path state = dir.resolve(key.hash() + ".state");
            try (RandomAccessFile file = new RandomAccessFile(state.toFile(), "rw")) {
                file.seek(file.length() / 2);
                file.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
            try (DefaultV86Machine machine = start(store, true)) {
                assertThat(machine.started()).isEqualTo(Start.COLD_BOOT);
                assertThat(machine.exec("echo rebuilt").stdout()).isEqualTo("rebuilt\n");
            }
            assertThat(store.find(key, false)).contains(state);
        }

        @Test
        void a_truncated_snapshot_is_detected_and_made_again(@TempDir Path dir) throws Exception {
            SnapshotStore store = new SnapshotStore(dir);
            start(store, true).close();
            Path state = dir.resolve(key.hash() + ".state");
            try (RandomAccessFile file = new RandomAccessFile(state.toFile(), "rw")) {
                file.setLength(file.length() / 3);
            }
            try (DefaultV86Machine machine = start(store, true)) {
                assertThat(machine.started()).isEqualTo(Start.COLD_BOOT);
            }
            assertThat(store.find(key, false)).isPresent();
        }

        @Test
        void a_state_that_checks_out_but_v86_refuses_is_deleted_and_made_again(@TempDir Path dir) throws Exception {
            SnapshotStore store = new SnapshotStore(dir);
            start(store, true).close();
            Files.write(dir.resolve(key.hash() + ".state"), "V86UNIT-STATE-1\nnot a state".getBytes());
            store.commit(key, 0); // the checksum now matches the garbage
            try (DefaultV86Machine machine = start(store, true)) {
                assertThat(machine.started()).isEqualTo(Start.COLD_BOOT);
                assertThat(machine.exec("true").exitCode()).isZero();
            }
        }

        @Test
        void reuse_off_cold_boots_and_writes_the_snapshot_anew(@TempDir Path dir) throws Exception {
            SnapshotStore store = new SnapshotStore(dir);
            start(store, true).close();
            Path metadata = dir.resolve(key.hash() + ".json");
            String before = Files.readString(metadata);
            try (DefaultV86Machine machine = start(store, false)) {
                assertThat(machine.started()).isEqualTo(Start.COLD_BOOT);
            }
            assertThat(Files.readString(metadata)).isNotEqualTo(before);
            assertThat(store.find(key, false)).isPresent();
        }

        @Test
        void two_jvms_starting_one_key_at_once_boot_once(@TempDir Path cache) throws Exception {
            Path realCache = Settings.load().cacheDir();
            Files.createSymbolicLink(cache.resolve("images"), realCache.resolve("images"));
            Files.createSymbolicLink(cache.resolve("node-host"), realCache.resolve("node-host"));
            List<Process> jvms = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                List<String> command = new ArrayList<>(ChildJvm.javaCommand());
                command.addAll(List.of("-Dv86unit.cache.dir=" + cache, StartProbe.class.getName()));
                jvms.add(new ProcessBuilder(command).redirectErrorStream(true).start());
            }
            List<String> outcomes = new ArrayList<>();
            for (Process jvm : jvms) {
                String output = new String(jvm.getInputStream().readAllBytes());
                assertThat(jvm.waitFor()).as(output).isZero();
                outcomes.add(output.lines().filter(l -> l.startsWith("started ")).findFirst().orElse(output));
            }
            assertThat(outcomes).containsExactlyInAnyOrder("started COLD_BOOT", "started SNAPSHOT");
        }
    }

    /** Runs in a child JVM: starts busybox with the snapshot store of its cache directory. */
    public static final class StartProbe {
        public static void main(String[] args) {
            Settings settings = Settings.load();
            image();
            try (DefaultV86Machine machine = machine()) {
                Machines.startFromSnapshot(machine, new SnapshotStore(settings.cacheDir().resolve("snapshots")), key, true);
                if (machine.exec("echo ok").exitCode() != 0) {
                    throw new IllegalStateException("exec failed");
                }
                System.out.println("started " + machine.started());
            }
        }
    }

    @Nested
    class Resets_and_checkpoints {

        @Test
        void reset_returns_to_the_start_state_in_place_with_the_clock_set_to_now() {
            try (V86Machine vm = V86Machine.start("busybox")) {
                assertThat(vm.exec("touch /root/marker; echo x > /mnt/v86unit/shared").exitCode()).isZero();
                vm.reset();
                assertThat(vm.exec("test -e /root/marker").exitCode()).isEqualTo(1);
                assertThat(vm.exec("test -e /mnt/v86unit/shared").exitCode()).as("9p contents are part of the state").isEqualTo(1);
                long guestNow = Long.parseLong(vm.exec("date +%s").stdout().trim());
                assertThat(guestNow).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
            }
        }

        /**
         * v86 throws away all the code it compiled for the guest on every state load; a restore in
         * place keeps it for the pages it leaves unchanged (the host counts v86's full clears).
         * What the restore changes is still thrown away: the test above and the next one check
         * that a restored guest runs what the state holds.
         */
        @Test
        void a_reset_and_a_restore_keep_the_code_compiled_for_the_guest() {
            try (V86Machine vm = V86Machine.start("busybox")) {
                DefaultV86Machine machine = ((PooledMachine) vm).machine();
                for (int i = 0; i < 300; i++) {
                    vm.exec("true");
                }
                vm.exec("echo changed > /root/changed");
                Checkpoint checkpoint = vm.checkpoint();
                var before = machine.hostStats().path("jit");
                int live = before.path("compiled").asInt() - before.path("freed").asInt();
                assertThat(live).as("modules v86 compiled for 300 commands and still holds").isGreaterThan(20);
                vm.reset();
                assertThat(vm.exec("test -e /root/changed").exitCode()).isEqualTo(1);
                vm.restore(checkpoint);
                assertThat(vm.exec("cat /root/changed").stdout()).isEqualTo("changed\n");
                var after = machine.hostStats().path("jit");
                // v86 alone frees every module on each of the two state loads
                assertThat(after.path("freed").asInt() - before.path("freed").asInt()).isLessThan(live / 2);
                assertThat(after.path("fullClears").asInt()).isEqualTo(before.path("fullClears").asInt());
            }
        }

        @Test
        void a_checkpoint_brings_back_what_was_written_before_it_and_forgets_what_came_after() {
            try (V86Machine vm = V86Machine.start("busybox")) {
                vm.exec("echo before > /root/before; echo shared-before > /mnt/v86unit/before");
                Checkpoint checkpoint = vm.checkpoint();
                vm.exec("echo after > /root/after; echo shared-after > /mnt/v86unit/after; rm /root/before");
                vm.restore(checkpoint);
                assertThat(vm.exec("cat /root/before /mnt/v86unit/before").stdout()).isEqualTo("before\nshared-before\n");
                assertThat(vm.exec("ls /root/after /mnt/v86unit/after").exitCode()).isNotZero();
                vm.exec("touch /root/again");
                vm.restore(checkpoint);
                assertThat(vm.exec("test -e /root/again").exitCode()).as("a checkpoint can be restored many times").isEqualTo(1);
                vm.reset();
                assertThat(vm.exec("test -e /root/before").exitCode()).isEqualTo(1);
            }
        }

        @Test
        void a_checkpoint_is_valid_only_on_its_own_machine() {
            try (V86Machine one = V86Machine.start("busybox"); V86Machine other = V86Machine.start("busybox")) {
                Checkpoint checkpoint = one.checkpoint();
                assertThatThrownBy(() -> other.restore(checkpoint))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("belongs to " + checkpoint.machine());
                assertThatThrownBy(() -> one.restore(null)).isInstanceOf(IllegalArgumentException.class);
            }
        }

        @Test
        void a_command_that_ignores_every_interrupt_leaves_a_machine_in_its_start_state() {
            try (V86Machine vm = V86Machine.start("busybox")) {
                vm.exec("touch /root/before-timeout");
                assertThatThrownBy(() -> vm.exec("trap '' INT QUIT; echo stuck; sleep 600", Duration.ofSeconds(2)))
                        .isInstanceOf(ExecTimeoutException.class).hasMessageContaining("stuck");
                assertThat(vm.exec("echo alive; test -e /root/before-timeout || echo reset").stdout()).isEqualTo("alive\nreset\n");
            }
        }
    }
}
