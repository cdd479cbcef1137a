package dev.v86unit.assertj;

import dev.v86unit.ExecResult;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractByteArrayAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on an {@link ExecResult}. Failures show the command, the expected and actual exit
 * code, and excerpts of stdout and stderr (long output cut in the middle).
 *
 * <pre>{@code
 * assertThat(vm.exec("echo hi; echo oops >&2; exit 3"))
 *     .hasExitCode(3)
 *     .stdout().isEqualTo("hi\n");
 * }</pre>
 */
public class ExecResultAssert extends AbstractAssert<ExecResultAssert, ExecResult> {

    /** @param actual the result to check; may be null (every check then fails with AssertJ's "Expecting actual not to be null") */
    public ExecResultAssert(ExecResult actual) {
        super(actual, ExecResultAssert.class);
    }

    /** Checks that the command exited with 0. */
    public ExecResultAssert succeeds() {
        isNotNull();
        if (actual.exitCode() != 0) {
            fail("to succeed (exit code 0)", "it exited with " + actual.exitCode());
        }
        return this;
    }

    /** Checks that the command exited with anything but 0. */
    public ExecResultAssert fails() {
        isNotNull();
        if (actual.exitCode() == 0) {
            fail("to fail (a non-zero exit code)", "it exited with 0");
        }
        return this;
    }

    /** Checks the exact exit code. */
    public ExecResultAssert hasExitCode(int expected) {
        isNotNull();
        if (actual.exitCode() != expected) {
            fail("to exit with " + expected, "it exited with " + actual.exitCode());
        }
        return this;
    }

    /** @return an assertion on stdout (UTF-8), labelled with the command */
    public AbstractStringAssert<?> stdout() {
        isNotNull();
        return Assertions.assertThat(actual.stdout()).as("stdout of %s (exit code %d)", Quoting.quote(actual.command()), actual.exitCode());
    }

    /** @return an assertion on stderr (UTF-8), labelled with the command */
    public AbstractStringAssert<?> stderr() {
        isNotNull();
        return Assertions.assertThat(actual.stderr()).as("stderr of %s (exit code %d)", Quoting.quote(actual.command()), actual.exitCode());
    }

    /** @return an assertion on the exact stdout bytes, labelled with the command */
    public AbstractByteArrayAssert<?> stdoutBytes() {
        isNotNull();
        return Assertions.assertThat(actual.stdoutBytes()).as("stdout bytes of %s", Quoting.quote(actual.command()));
    }

    /** @return an assertion on the exact stderr bytes, labelled with the command */
    public AbstractByteArrayAssert<?> stderrBytes() {
        isNotNull();
        return Assertions.assertThat(actual.stderrBytes()).as("stderr bytes of %s", Quoting.quote(actual.command()));
    }

    private void fail(String expected, String butWas) {
        // passed as an argument, so a '%' in the command or its output is never read as a format
        failWithMessage("%s", String.format("%nExpecting command%n  %s%n%s, but %s.%nstdout:%n  %s%nstderr:%n  %s",
                Quoting.quote(actual.command()), expected, butWas, Quoting.quote(actual.stdout()), Quoting.quote(actual.stderr())));
    }
}
