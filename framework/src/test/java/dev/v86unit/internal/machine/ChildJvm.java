package dev.v86unit.internal.machine;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A second JVM for the tests that need one (a JVM to kill, two JVMs racing). */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @return {@code java -cp <everything this JVM loads>}: the tests run on the module path (patched
     *         into dev.v86unit), so the class path alone lacks the framework; the child runs it all on
     *         its class path
     */
    static List<String> javaCommand() {
        List<String> entries = new ArrayList<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property, "");
            if (!value.isEmpty()) {
                entries.add(value);
            }
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(File.pathSeparator, entries));
    }
}
