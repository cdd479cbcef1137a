/**
 * {@link dev.v86unit.junit.V86Vm}: a real i386 Linux machine per JUnit 5 test class, injected into
 * {@link dev.v86unit.V86Machine} fields and parameters; {@link dev.v86unit.junit.Fixture}: files copied in
 * once per class.
 *
 * <pre>{@code
 * @V86Vm(image = "busybox", execTimeout = "30")
 * class FirstTest {
 *     @Test void runs(V86Machine vm) { assertThat(vm.exec("uname -m")).succeeds(); }
 * }
 * }</pre>
 */
package dev.v86unit.junit;
