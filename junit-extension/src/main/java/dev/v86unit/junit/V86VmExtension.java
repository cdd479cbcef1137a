package dev.v86unit.junit;

import dev.v86unit.Checkpoint;
import dev.v86unit.FileSource;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Machine;
import dev.v86unit.tooling.MachineReport;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Does the work behind {@link V86Vm}: one machine per annotated class, kept in that class's
 * {@link ExtensionContext.Store} so that JUnit closes it when the class is done, and shared with
 * its {@code @Nested} classes. A machine that failed to start is remembered too, so the class's
 * other tests fail at once with the same cause instead of booting again.
 */
final class V86VmExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(V86VmExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        // Check, then start (or fail) here, so that misuse, a bad image or a boot failure fails the
        // class at once with its own message.
        rejectFinalFields(context.getRequiredTestClass());
        machine(context);
        injectFields(context, null, ModifierSupport::isStatic);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        resetIfAsked(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(context, instance, ModifierSupport::isNotStatic);
        }
    }

    /** The reset point is taken before the first test (after @BeforeAll) and restored before every later one. */
    private void resetIfAsked(ExtensionContext context) {
        ExtensionContext owner = annotatedClassContext(context);
        V86Vm annotation = AnnotationSupport.findAnnotation(owner.getRequiredTestClass(), V86Vm.class).orElseThrow();
        if (annotation.resetBetweenTests()) {
            V86Machine machine = machine(context);
            Checkpoint resetPoint = owner.getStore(NAMESPACE).getOrComputeIfAbsent(Checkpoint.class, key -> machine.checkpoint(), Checkpoint.class);
            machine.restore(resetPoint);
        }
    }

    /**
     * A failing test gets the machine's context: a report entry {@code v86unit.<machine>} and, so that
     * it shows wherever the failure is printed, the same text as a suppressed exception of the failure.
     * Passing tests get nothing. A machine that never started has nothing to report.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        try {
            MachineHolder holder = annotatedClassContext(context).getStore(NAMESPACE).get(MachineHolder.class, MachineHolder.class);
            V86Machine machine = holder == null ? null : holder.startedMachine();
            MachineReport.of(machine).ifPresent(report -> {
                context.publishReportEntry("v86unit." + machine.image(), report);
                failure.addSuppressed(new MachineContext(report));
            });
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // the report is a help; the test's own failure stays what it is
        }
        throw failure;
    }

    /** Carries a machine's report into the failure's stack trace; it has no stack of its own. */
    static final class MachineContext extends RuntimeException {

        MachineContext(String report) {
            super("the test's machine:\n" + report, null, false, false);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == V86Machine.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return machine(extensionContext);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private static void rejectFinalFields(Class<?> testClass) {
        for (Field field : ReflectionSupport.findFields(testClass,
                field -> field.getType() == V86Machine.class && Modifier.isFinal(field.getModifiers()), HierarchyTraversalMode.TOP_DOWN)) {
            throw new ExtensionConfigurationException("@V86Vm cannot inject the machine into field '" + field.getName()
                    + "' of " + field.getDeclaringClass().getName() + ": it is final. Make it non-final, or take the"
                    + " machine as a V86Machine parameter instead.");
        }
    }

    private void injectFields(ExtensionContext context, Object instance, Predicate<Field> modifiers) {
        Class<?> testClass = instance != null ? instance.getClass() : context.getRequiredTestClass();
        rejectFinalFields(testClass);
        for (Field field : ReflectionSupport.findFields(testClass,
                field -> field.getType() == V86Machine.class && modifiers.test(field), HierarchyTraversalMode.TOP_DOWN)) {
            try {
                field.setAccessible(true);
                field.set(instance, machine(context));
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("@V86Vm cannot set field '" + field.getName() + "' of "
                        + field.getDeclaringClass().getName() + ": " + e.getMessage(), e);
            }
        }
    }

    private V86Machine machine(ExtensionContext context) {
        ExtensionContext owner = annotatedClassContext(context);
        V86Vm annotation = AnnotationSupport.findAnnotation(owner.getRequiredTestClass(), V86Vm.class).orElseThrow();
        MachineSpec spec = spec(annotation, owner.getRequiredTestClass());
        List<Fixture> fixtures = new ArrayList<>(List.of(annotation.fixtures()));
        fixtures.addAll(AnnotationSupport.findRepeatableAnnotations(owner.getRequiredTestClass(), Fixture.class));
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(MachineHolder.class, key -> MachineHolder.start(spec, fixtures, owner.getRequiredTestClass()),
                        MachineHolder.class)
                .machine();
    }

    /** @return the context of the innermost class that carries @V86Vm (itself, or an enclosing class for @Nested) */
    private static ExtensionContext annotatedClassContext(ExtensionContext context) {
        Optional<ExtensionContext> current = Optional.of(context);
        while (current.isPresent()) {
            ExtensionContext candidate = current.get();
            if (candidate.getTestClass().isPresent() && candidate.getTestMethod().isEmpty()
                    && AnnotationSupport.isAnnotated(candidate.getRequiredTestClass(), V86Vm.class)) {
                return candidate;
            }
            current = candidate.getParent();
        }
        throw new ExtensionConfigurationException("no class around " + context.getUniqueId() + " is annotated with @V86Vm");
    }

    private static MachineSpec spec(V86Vm annotation, Class<?> testClass) {
        if (annotation.image().isBlank()) {
            throw new ExtensionConfigurationException("@V86Vm on " + testClass.getName()
                    + " has a blank image: name one, e.g. @V86Vm(image = \"busybox\")");
        }
        try {
            return MachineSpec.of(annotation.image()).withPackages(annotation.packages()).withSnapshot(annotation.snapshot())
                    .withExposedPorts(annotation.exposedPorts()).withHostPorts(annotation.hostPorts())
                    .withBootTimeout(duration(annotation.bootTimeout(), "bootTimeout"))
                    .withExecTimeout(duration(annotation.execTimeout(), "execTimeout"));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@V86Vm on " + testClass.getName() + ": " + e.getMessage(), e);
        }
    }

    /** @return null for an empty attribute (the configured default), else seconds or an ISO-8601 duration */
    private static Duration duration(String value, String attribute) {
        String text = value.strip();
        if (text.isEmpty()) {
            return null;
        }
        Duration duration;
        try {
            duration = text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(attribute + " = \"" + value + "\" is not a duration: give a number of seconds"
                    + " (e.g. \"120\") or an ISO-8601 duration (e.g. \"PT2M\")", e);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(attribute + " = \"" + value + "\" must be positive");
        }
        return duration;
    }

    /** The machine of one class, or why it could not start; closed by JUnit with the class's store. */
    static final class MachineHolder implements AutoCloseable {

        private final V86Machine machine;
        private final RuntimeException failure;

        private MachineHolder(V86Machine machine, RuntimeException failure) {
            this.machine = machine;
            this.failure = failure;
        }

        static MachineHolder start(MachineSpec spec, List<Fixture> fixtures, Class<?> testClass) {
            V86Machine machine = null;
            try {
                machine = V86Machine.start(spec);
                for (Fixture fixture : fixtures) {
                    copy(machine, fixture, testClass);
                }
                return new MachineHolder(machine, null);
            } catch (RuntimeException e) {
                if (machine != null) {
                    machine.close();
                }
                return new MachineHolder(null, e);
            }
        }

        private static void copy(V86Machine machine, Fixture fixture, Class<?> testClass) {
            FileSource source;
            try {
                source = FileSource.parse(fixture.from());
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@Fixture(from = \"" + fixture.from() + "\", to = \"" + fixture.to()
                        + "\") on " + testClass.getName() + ": " + e.getMessage(), e);
            }
            try {
                machine.copyTo(source, fixture.to());
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@Fixture(from = \"" + fixture.from() + "\", to = \"" + fixture.to()
                        + "\") on " + testClass.getName() + ": " + e.getMessage(), e);
            }
        }

        /** @return the machine, or null if it failed to start */
        V86Machine startedMachine() {
            return machine;
        }

        V86Machine machine() {
            if (failure != null) {
                throw failure;
            }
            return machine;
        }

        @Override
        public void close() {
            if (machine != null) {
                machine.close();
            }
        }
    }
}
