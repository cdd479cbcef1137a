package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * execInBackground, GuestProcess and waitUntilSucceeds on a real busybox machine (the shell runner:
 * FIFOs and dd forwarders), and on debian, whose jobs one perl process runs and forwards.
 */
class BackgroundProcessIT {

    static V86Machine vm;

    @BeforeAll
    static void boot() {
        vm = V86Machine.start("busybox");
    }

    @AfterAll
    static void close() {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void a_background_command_runs_while_other_commands_go_on_and_its_exit_code_and_output_stay_readable() {
        GuestProcess process = vm.execInBackground("echo started; while [ ! -e /tmp/stop ]; do sleep 0.2; done; echo stopping >&2; exit 7");
        assertThat(process.waitForOutput("started", Duration.ofSeconds(30))).isEqualTo("started");
        assertThat(process.isAlive()).isTrue();
        assertThat(vm.exec("echo meanwhile").stdout()).isEqualTo("meanwhile\n");
        vm.exec("touch /tmp/stop");
        assertThat(process.waitFor(Duration.ofSeconds(30))).isEqualTo(7);
        assertThat(process.isAlive()).isFalse();
        assertThat(process.stdout()).isEqualTo("started\n");
        assertThat(process.stderr()).isEqualTo("stopping\n");
        assertThat(process.command()).contains("echo started");
        vm.exec("rm /tmp/stop");
    }

    @Test
    void kill_ends_the_whole_process_tree() {
        killEndsTheWholeProcessTree(vm, "ps | grep -c '[s]leep 100[12]'");
    }

    /** @param countSleeps prints how many of the job's two sleeps run (busybox's ps and procps' differ) */
    static void killEndsTheWholeProcessTree(V86Machine machine, String countSleeps) {
        GuestProcess process = machine.execInBackground("sleep 1001 & sleep 1002 & echo up; wait");
        process.waitForOutput("up", Duration.ofSeconds(30));
        assertThat(machine.exec(countSleeps).stdout().trim()).isEqualTo("2");
        process.kill();
        assertThat(process.isAlive()).isFalse();
        assertThat(process.waitFor(Duration.ofSeconds(1))).isEqualTo(143);
        machine.waitUntilSucceeds("[ $(" + countSleeps + ") = 0 ]", Duration.ofSeconds(10));
        assertThat(process.stdout()).isEqualTo("up\n");
    }

    @Test
    void several_run_at_once_each_with_its_own_output_and_consumer() {
        List<String> seen = new CopyOnWriteArrayList<>();
        GuestProcess a = vm.execInBackground("i=0; while [ $i -lt 50 ]; do echo a$i; i=$((i+1)); done",
                ExecOptions.defaults().withOutputConsumer(frame -> seen.add(frame.utf8String())));
        GuestProcess b = vm.execInBackground("i=0; while [ $i -lt 50 ]; do echo b$i >&2; i=$((i+1)); done");
        assertThat(a.waitFor(Duration.ofSeconds(30))).isZero();
        assertThat(b.waitFor(Duration.ofSeconds(30))).isZero();
        StringBuilder as = new StringBuilder();
        StringBuilder bs = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            as.append("a").append(i).append('\n');
            bs.append("b").append(i).append('\n');
        }
        assertThat(a.stdout()).isEqualTo(as.toString());
        assertThat(String.join("", seen)).isEqualTo(as.toString());
        assertThat(b.stderr()).isEqualTo(bs.toString());
        assertThat(b.stdout()).isEmpty();
    }

    @Test
    void waiting_for_a_process_that_goes_on_times_out_with_its_output_so_far() {
        GuestProcess process = vm.execInBackground("echo working; sleep 1000");
        process.waitForOutput("working", Duration.ofSeconds(30));
        assertThatThrownBy(() -> process.waitFor(Duration.ofMillis(500)))
                .isInstanceOfSatisfying(ExecTimeoutException.class, e -> assertThat(e.partialStdout()).isEqualTo("working\n"));
        assertThatThrownBy(() -> process.waitForOutput("never printed", Duration.ofSeconds(1)))
                .isInstanceOf(V86Exception.class)
                .hasMessageContaining("No output matching /never printed/")
                .hasMessageContaining("working");
        process.kill();
    }

    @Test
    void a_restore_ends_background_commands() {
        Checkpoint before = vm.checkpoint();
        GuestProcess process = vm.execInBackground("echo up; sleep 1000");
        process.waitForOutput("up", Duration.ofSeconds(30));
        vm.restore(before);
        assertThat(process.isAlive()).isFalse();
        assertThatThrownBy(() -> process.waitFor(Duration.ofSeconds(1)))
                .isInstanceOf(V86Exception.class)
                .hasMessageContaining("has no exit code: the machine was restored");
        assertThat(vm.exec("ps | grep -c '[s]leep 1000'").stdout().trim()).isEqualTo("0");
    }

    @Test
    void wait_until_succeeds_returns_the_first_success() {
        vm.execInBackground("sleep 1; echo ready > /tmp/flag");
        ExecResult result = vm.waitUntilSucceeds("cat /tmp/flag", Duration.ofSeconds(30));
        assertThat(result.stdout()).isEqualTo("ready\n");
        vm.exec("rm /tmp/flag");
    }

    @Test
    void wait_until_succeeds_reports_the_last_attempt() {
        assertThatThrownBy(() -> vm.waitUntilSucceeds("echo not yet; echo still failing >&2; exit 3", Duration.ofSeconds(2)))
                .isInstanceOf(V86Exception.class)
                .hasMessageContaining("did not succeed within 2")
                .hasMessageContaining("exitCode=3")
                .hasMessageContaining("not yet")
                .hasMessageContaining("still failing");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class On_a_debian_root {

        V86Machine debian;

        @BeforeAll
        void boot() {
            debian = V86Machine.start("debian");
        }

        @AfterAll
        void close() {
            if (debian != null) {
                debian.close();
            }
        }

        @Test
        void output_exit_code_and_several_jobs_at_once() {
            GuestProcess a = debian.execInBackground("seq 1 20000; echo done >&2; exit 5");
            GuestProcess b = debian.execInBackground("for i in 1 2 3; do echo b$i >&2; done");
            assertThat(a.waitFor(Duration.ofSeconds(60))).isEqualTo(5);
            assertThat(b.waitFor(Duration.ofSeconds(60))).isZero();
            StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= 20000; i++) {
                expected.append(i).append('\n');
            }
            assertThat(a.stdout()).isEqualTo(expected.toString());
            assertThat(a.stderr()).isEqualTo("done\n");
            assertThat(b.stderr()).isEqualTo("b1\nb2\nb3\n");
            // the job ran in a session of its own, its runner's nice 19 not passed on to it
            GuestProcess session = debian.execInBackground("ps -o sid=,pid=,ni= -p $$");
            assertThat(session.waitFor(Duration.ofSeconds(60))).isZero();
            String[] fields = session.stdout().trim().split("\\s+");
            assertThat(fields[0]).isEqualTo(fields[1]);
            assertThat(fields[2]).isEqualTo("0");
        }

        @Test
        void kill_ends_the_whole_process_tree() {
            killEndsTheWholeProcessTree(debian, "ps -e -o args | grep -c '^[s]leep 100[12]'");
        }

        @Test
        void a_job_that_leaves_a_process_behind_still_ends() {
            // the process left behind holds the job's stdout and stderr open
            GuestProcess process = debian.execInBackground("sleep 1003 & echo left; exit 2");
            assertThat(process.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(process.stdout()).isEqualTo("left\n");
            debian.exec("pkill -f 'sleep 1003'");
        }
    }
}
