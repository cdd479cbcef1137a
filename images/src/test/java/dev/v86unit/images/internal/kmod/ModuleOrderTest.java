package dev.v86unit.images.internal.kmod;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleOrderTest {

    /** depends= of Debian's 6.1.0-50-686 modules, as modinfo shows them. */
    private static Map<String, List<String>> debian61() {
        Map<String, List<String>> depends = new LinkedHashMap<>();
        depends.put("virtio_console", List.of("virtio", "virtio_ring"));
        depends.put("9p", List.of("9pnet", "fscache", "netfs"));
        depends.put("fscache", List.of("netfs"));
        depends.put("netfs", List.of());
        depends.put("9pnet_virtio", List.of("virtio", "9pnet", "virtio_ring"));
        depends.put("9pnet", List.of());
        depends.put("virtio_pci", List.of("virtio_ring", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio"));
        depends.put("virtio_pci_legacy_dev", List.of());
        depends.put("virtio_pci_modern_dev", List.of());
        depends.put("virtio_ring", List.of());
        depends.put("virtio", List.of());
        return depends;
    }

    @Test
    void should_load_every_module_after_its_dependencies_with_ties_broken_by_name() {
        assertThat(ModuleOrder.sort(debian61())).containsExactly(
                "9pnet", "netfs", "fscache", "9p", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev",
                "virtio_ring", "9pnet_virtio", "virtio_console", "virtio_pci");
    }

    @Test
    void should_not_depend_on_the_input_order() {
        Map<String, List<String>> reversed = new LinkedHashMap<>();
        List<String> keys = List.copyOf(debian61().keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.put(keys.get(i), debian61().get(keys.get(i)));
        }

        assertThat(ModuleOrder.sort(reversed)).isEqualTo(ModuleOrder.sort(debian61()));
    }

    @Test
    void should_name_a_dependency_that_is_not_included() {
        Map<String, List<String>> depends = Map.of("9p", List.of("9pnet", "fscache"), "9pnet", List.of());

        assertThatThrownBy(() -> ModuleOrder.sort(depends))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Module 9p depends on fscache, which is not among the modules to load [9p, 9pnet]");
    }

    @Test
    void should_name_the_modules_of_a_cycle() {
        Map<String, List<String>> depends = Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("a"),
                "d", List.of());

        assertThatThrownBy(() -> ModuleOrder.sort(depends))
                .hasMessage("Modules depend on each other in a cycle: [a, b, c]");
    }
}
