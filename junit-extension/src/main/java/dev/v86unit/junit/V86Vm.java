package dev.v86unit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class a real i386 Linux machine, emulated by v86. One machine is started
 * before the first test of the class (and its {@code @Nested} classes) and closed after the last.
 * It is injected into parameters of type {@link dev.v86unit.V86Machine} of test, lifecycle and
 * constructor methods, and into fields of that type (static fields before {@code @BeforeAll},
 * instance fields before {@code @BeforeEach}).
 *
 * <pre>{@code
 * @V86Vm(image = "busybox")
 * class FirstTest {
 *     @Test
 *     void capturesExitCodeAndStreams(V86Machine vm) {
 *         assertThat(vm.exec("echo hi; echo oops >&2; exit 3"))
 *             .hasExitCode(3)
 *             .stdout().isEqualTo("hi\n");
 *     }
 * }
 * }</pre>
 *
 * With {@code resetBetweenTests = true}, no test sees what another test did:
 * <pre>{@code
 * @V86Vm(image = "busybox", snapshot = true, resetBetweenTests = true)
 * class PristineTest {
 *     @Test void writesAFile(V86Machine vm) { assertThat(vm.exec("touch /root/marker")).succeeds(); }
 *     @Test void neverSeesTheOtherTestsFile(V86Machine vm) {
 *         assertThat(vm.exec("test -e /root/marker")).fails();
 *     }
 * }
 * }</pre>
 *
 * Configuration that is not per class (cache directory, Node executable, Debian mirror, default
 * timeouts) comes from system properties and environment variables: see the README.
 *
 * <p>When a test of the class fails, its failure gets a report entry {@code v86unit.<image>} with the
 * machine's last console lines and the commands it ran, and the same text as a suppressed exception
 * of the failure, so it shows in the stack trace (passing tests get none).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(V86VmExtension.class)
public @interface V86Vm {

    /**
     * The image to boot: {@code "busybox"}; {@code "debian"} (= {@code "debian:12"}, {@code "debian:bookworm"}),
     * {@code "debian:11"} ({@code "debian:bullseye"}) or {@code "debian:13"} ({@code "debian:trixie"}); or an
     * archive you bring, as {@code "rootfs:<source>"} (a tar, tar.gz, tar.xz or tar.zst of an i386 root
     * filesystem) or {@code "oci:<source>"} ({@code docker save} output or an OCI image layout, linux/386),
     * where {@code <source>} is {@code classpath:<resource>}, {@code file:<path>} or a path.
     * <pre>{@code
     * @V86Vm(image = "debian:11", packages = "openssl")        // OpenSSL 1.1, which bookworm no longer has
     * @V86Vm(image = "rootfs:file:build/alpine-minirootfs-3.21.0-x86.tar.gz")
     * @V86Vm(image = "oci:file:build/legacy-app-i386.tar")
     * }</pre>
     */
    String image();

    /**
     * Debian packages to add to the image, with their dependencies: a derived image, built once
     * (rootless, in Java, from Debian's signed archive) and cached under its own content id.
     * Only for Debian images ({@code "debian"}, {@code "debian:11"}, {@code "debian:13"}); packages come
     * from the image's own release.
     * <pre>{@code @V86Vm(image = "debian", packages = {"bc", "tcc"})}</pre>
     */
    String[] packages() default {};

    /**
     * Files and directories to copy into the machine once, right after it starts; see {@link Fixture}
     * (which may also stand on the class itself, repeated).
     */
    Fixture[] fixtures() default {};

    /**
     * Start from the image's cached snapshot (restored in well under a second), making it on the
     * first start of the image, in this JVM or any later one. {@code false} cold-boots the machine.
     */
    boolean snapshot() default true;

    /**
     * Give every test method the machine in the same state: the state right before the first test,
     * that is after the class's {@code @BeforeAll} methods (the snapshot's own state if they changed
     * nothing). Restored in place before each test, so it costs a fraction of a second; the
     * extension's reset runs before the test's {@code @BeforeEach} methods.
     */
    boolean resetBetweenTests() default false;

    /**
     * Guest TCP ports reachable from the test, each on a free port of the host's 127.0.0.1:
     * {@code vm.hostPort(5432)} says which. Connections open at a reset are closed.
     * <pre>{@code
     * @V86Vm(image = "busybox", exposedPorts = 8080)
     * class WebTest {
     *     @Test void serves(V86Machine vm) throws Exception {
     *         vm.execInBackground("httpd -f -p 8080 -h /srv");
     *         vm.waitForPort(8080, Duration.ofSeconds(30));
     *         URI page = URI.create("http://127.0.0.1:" + vm.hostPort(8080) + "/index.html");
     *     }
     * }
     * }</pre>
     */
    int[] exposedPorts() default {};

    /**
     * Ports of the host's 127.0.0.1 that the guest may reach, as {@code host.v86unit.internal:<port>}
     * (a server the test starts). Every other address and port is refused: the guest has no internet.
     * <pre>{@code @V86Vm(image = "busybox", hostPorts = 8080)   // vm.exec("wget -q -O- http://host.v86unit.internal:8080/health")}</pre>
     */
    int[] hostPorts() default {};

    /**
     * How long the machine's cold boot may take: a number of seconds ({@code "300"}) or an ISO-8601
     * duration ({@code "PT5M"}). Empty (the default) means the setting {@code v86unit.boot.timeout}
     * (3 minutes unless set). A restore from the snapshot is not a cold boot.
     * <pre>{@code @V86Vm(image = "debian", packages = "postgresql-15", bootTimeout = "PT10M")}</pre>
     */
    String bootTimeout() default "";

    /**
     * The timeout of {@code vm.exec(command)} calls without one of their own: a number of seconds
     * ({@code "30"}) or an ISO-8601 duration ({@code "PT2M"}). Empty (the default) means the setting
     * {@code v86unit.exec.timeout} (60 seconds unless set).
     * <pre>{@code @V86Vm(image = "busybox", execTimeout = "10")}</pre>
     */
    String execTimeout() default "";
}
