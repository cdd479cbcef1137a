package dev.v86unit.internal.machine;

import dev.v86unit.Checkpoint;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Makes {@link Checkpoint}s, whose only constructor is private so that users cannot forge one. The
 * constructor is reached by reflection, which a module always allows on its own classes (and the class
 * path allows anyway); this keeps the API package free of imports from internal ones.
 */
final class Checkpoints {

    private static final Constructor<Checkpoint> CONSTRUCTOR;

    static {
        try {
            CONSTRUCTOR = Checkpoint.class.getDeclaredConstructor(String.class, String.class);
            CONSTRUCTOR.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Checkpoints() {
    }

    static Checkpoint of(String machine, String id) {
        try {
            return CONSTRUCTOR.newInstance(machine, id);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot make a checkpoint: " + e, e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
