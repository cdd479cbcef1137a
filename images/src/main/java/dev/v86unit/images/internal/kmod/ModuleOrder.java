package dev.v86unit.images.internal.kmod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A load order for kernel modules: every module after the modules it depends on (a topological sort,
 * Kahn's algorithm), ties broken by name so that the order never depends on the input order.
 */
public final class ModuleOrder {

    private ModuleOrder() {
    }

    /**
     * @param depends module name -> the names it depends on; all of them must be keys as well
     * @return the module names in load order
     * @throws IllegalArgumentException naming the module, if a dependency is missing or modules depend on
     *                                  each other in a cycle
     */
    public static List<String> sort(Map<String, List<String>> depends) {
        Map<String, Integer> waitingFor = new TreeMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        depends.forEach((module, deps) -> {
            waitingFor.put(module, deps.size());
            for (String dependency : deps) {
                if (!depends.containsKey(dependency)) {
                    throw new IllegalArgumentException("Module " + module + " depends on " + dependency
                            + ", which is not among the modules to load " + new TreeSet<>(depends.keySet()));
                }
                dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(module);
            }
        });
        TreeSet<String> ready = new TreeSet<>();
        waitingFor.forEach((module, count) -> {
            if (count == 0) {
                ready.add(module);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String module = ready.pollFirst();
            order.add(module);
            waitingFor.remove(module);
            for (String dependent : dependents.getOrDefault(module, List.of())) {
                if (waitingFor.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (!waitingFor.isEmpty()) {
            throw new IllegalArgumentException("Modules depend on each other in a cycle: " + waitingFor.keySet());
        }
        return order;
    }
}
