/**
 * v86unit's machines: {@link dev.v86unit.V86Machine} starts a real i386 Linux machine, emulated by v86 in
 * a Node.js process, and runs commands in it. Only {@code dev.v86unit} is API, plus
 * {@code dev.v86unit.tooling}, the documented hook for v86unit's own tools (the command line and the
 * benchmark); everything under {@code dev.v86unit.internal} may change without notice.
 */
module dev.v86unit {
    requires transitive dev.v86unit.images;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires awaitility;
    requires org.apache.commons.io;

    exports dev.v86unit;
    exports dev.v86unit.tooling;
}
