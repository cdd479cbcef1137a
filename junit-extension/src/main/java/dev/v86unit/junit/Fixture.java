package dev.v86unit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A file or directory copied into the class's machine once, right after it starts: before
 * {@code @BeforeAll}, and so before the state that {@code resetBetweenTests} restores (resets keep it).
 * Directories are copied recursively, with executable bits and symlinks.
 *
 * <pre>{@code
 * @V86Vm(image = "debian", fixtures = @Fixture(from = "classpath:legacy-app/", to = "/opt/app"))
 * @Fixture(from = "src/test/data/input.txt", to = "/tmp/input.txt")
 * class LegacyAppTest { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(Fixtures.class)
public @interface Fixture {

    /** {@code classpath:<resource>} (a file or a folder), {@code file:<path>}, or a host path relative to the working directory. */
    String from();

    /** The absolute guest path: the file itself, or the folder that receives a folder's contents. */
    String to();
}
