package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The module exports only the API and the tooling hook, and no public signature there names an internal type. */
class ApiBoundaryTest {

    private static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = V86Machine.class.getResourceAsStream("/module-info.class")) {
            assertThat(in).as("module-info.class of the framework").isNotNull();
            return ModuleDescriptor.read(in);
        }
    }

    /** @return every public class of the exported packages, read from the framework's own classes folder */
    private static List<Class<?>> exportedClasses(Set<String> packages) throws Exception {
        Path root = Path.of(V86Machine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".").replaceAll("\\.class$", "");
                int dot = name.lastIndexOf('.');
                if (dot > 0 && packages.contains(name.substring(0, dot)) && !name.endsWith("module-info") && !name.endsWith("package-info")) {
                    Class<?> type = Class.forName(name, false, V86Machine.class.getClassLoader());
                    if (Modifier.isPublic(type.getModifiers())) {
                        classes.add(type);
                    }
                }
            }
        }
        return classes;
    }

    @Test
    void the_module_exports_only_the_api_and_the_tooling_hook() throws IOException {
        ModuleDescriptor module = descriptor();
        assertThat(module.name()).isEqualTo("dev.v86unit");
        assertThat(module.exports()).allSatisfy(export -> assertThat(export.isQualified()).isFalse());
        assertThat(module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.v86unit", "dev.v86unit.tooling");
        assertThat(module.opens()).isEmpty();
    }

    @Test
    void no_public_signature_of_an_exported_package_names_an_internal_type() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> classes = exportedClasses(Set.of("dev.v86unit", "dev.v86unit.tooling"));
        assertThat(classes).contains(V86Machine.class, ExecResult.class, Checkpoint.class);
        for (Class<?> type : classes) {
            if (internal(type.getSuperclass())) {
                leaks.add(type.getName() + " extends " + type.getSuperclass().getName());
            }
            for (Class<?> implemented : type.getInterfaces()) {
                if (internal(implemented)) {
                    leaks.add(type.getName() + " implements " + implemented.getName());
                }
            }
            List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
            members.addAll(List.of(type.getDeclaredConstructors()));
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers()) && !Modifier.isProtected(member.getModifiers())) {
                    continue;
                }
                List<Class<?>> used = new ArrayList<>(List.of(member.getParameterTypes()));
                used.addAll(List.of(member.getExceptionTypes()));
                if (member instanceof Method method) {
                    used.add(method.getReturnType());
                }
                for (Class<?> t : used) {
                    if (internal(t)) {
                        leaks.add(type.getName() + "." + member.getName() + " uses " + t.getName());
                    }
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if ((Modifier.isPublic(field.getModifiers()) || Modifier.isProtected(field.getModifiers())) && internal(field.getType())) {
                    leaks.add(type.getName() + "." + field.getName() + " is a " + field.getType().getName());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean internal(Class<?> type) {
        while (type != null && type.isArray()) {
            type = type.getComponentType();
        }
        return type != null && type.getName().contains(".internal.");
    }

    @Nested
    class Checkpoints {

        @Test
        void cannot_be_made_by_users_only_by_machines() {
            assertThat(Modifier.isFinal(Checkpoint.class.getModifiers())).isTrue();
            assertThat(Checkpoint.class.getDeclaredConstructors())
                    .extracting(Constructor::getModifiers)
                    .allSatisfy(modifiers -> assertThat(Modifier.isPrivate(modifiers)).isTrue());
        }
    }
}
