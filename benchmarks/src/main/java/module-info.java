/**
 * The benchmark harness: it uses only v86unit's API and its documented tooling hook
 * ({@code dev.v86unit.tooling}), which this descriptor makes the compiler check.
 */
module dev.v86unit.benchmarks {
    requires dev.v86unit;
    requires java.net.http;
    requires org.apache.commons.io;
    requires awaitility;
}
