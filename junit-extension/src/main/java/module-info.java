/**
 * v86unit for JUnit 5: {@link dev.v86unit.junit.V86Vm} gives a test class a real i386 Linux machine, and
 * {@link dev.v86unit.assertj.V86Assertions} checks what its commands did. The extension that does the
 * work is package-private; JUnit instantiates it reflectively, hence the qualified {@code opens}.
 */
module dev.v86unit.junit {
    requires transitive dev.v86unit;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.v86unit.junit;
    exports dev.v86unit.assertj;

    opens dev.v86unit.junit to org.junit.platform.commons;
}
