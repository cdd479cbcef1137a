package dev.v86unit.assertj;

import dev.v86unit.ExecResult;
import org.assertj.core.api.Assertions;

/**
 * Entry point for assertions on what a guest command did. Extends AssertJ's {@link Assertions}, so
 * one static import serves for these and for AssertJ's own.
 *
 * <pre>{@code
 * import static dev.v86unit.assertj.V86Assertions.assertThat;
 *
 * assertThat(vm.exec("python3 -V")).succeeds().stdout().startsWith("Python 3");
 * assertThat(vm.exec("ls /nope")).fails().stderr().contains("No such file");
 * }</pre>
 */
public class V86Assertions extends Assertions {

    protected V86Assertions() {
    }

    /** @return an assertion on the exit code and output of a command */
    public static ExecResultAssert assertThat(ExecResult actual) {
        return new ExecResultAssert(actual);
    }
}
