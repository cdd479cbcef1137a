package dev.v86unit.images.internal.build;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.v86unit.images.internal.io.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: where an image came from and what it consists of. It is written with sorted
 * keys and '\n' line ends, and read back to verify a cached image without the network.
 *
 * @param key           the recipe key ({@link Recipe#key()}) the image was built for
 * @param releaseDate   the {@code Date:} of the verified InRelease the packages were chosen from
 * @param kernelVersion the kernel release, e.g. {@code 6.1.0-50-686}
 * @param modules       the kernel modules in load order
 * @param id            {@link #computeId(List, String, int)} of the outputs
 * @param rootfs        the root filesystem; null for an initramfs-only image
 */
public record Manifest(String recipe, int recipeVersion, String key, String suite, String releaseDate,
                       String mirror, String kernelVersion, List<Input> inputs, List<Output> outputs,
                       List<String> modules, String cmdline, int memoryMb, String id, Rootfs rootfs) {

    public static final String FILE_NAME = "manifest.json";

    /** A {@code .deb} the image was built from. */
    public record Input(String packageName, String version, String filename, String sha256, long size) {
    }

    /** A file of the image, next to the manifest. */
    public record Output(String name, String sha256, long size) {
    }

    /**
     * The root filesystem ({@code rootfs.json}, one of the outputs, and its files in the shared store).
     *
     * @param packages  the packages unpacked into it, sorted by name
     * @param files     its regular files
     * @param bytes     their total size
     * @param firstBoot the commands left for the guest's first boot
     */
    public record Rootfs(List<Input> packages, long files, long bytes, List<String> firstBoot) {
        public Rootfs {
            packages = packages.stream().sorted(Comparator.comparing(Input::packageName)).toList();
            firstBoot = List.copyOf(firstBoot);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    public Manifest {
        inputs = inputs.stream().sorted(Comparator.comparing(Input::packageName)).toList();
        outputs = outputs.stream().sorted(Comparator.comparing(Output::name)).toList();
        modules = List.copyOf(modules);
    }

    /**
     * The image id: {@code "sha256:" + sha256} of the lines {@code <name> <sha256>} of each output (sorted by
     * name; not the unpacked kernel, which follows from the bzImage), then {@code cmdline <cmdline>} and {@code memoryMb <n>}. Only what the guest sees counts, so
     * a rebuild from the same packages gives the same id whatever the mirror or the date.
     */
    public static String computeId(List<Output> outputs, String cmdline, int memoryMb) {
        StringBuilder canonical = new StringBuilder();
        // The unpacked kernel is a function of the bzImage (which counts): leaving it out kept the ids,
        // and the snapshots and configured layers keyed by them, of images built before it existed.
        outputs.stream().filter(o -> !o.name().equals(ImageBuilder.KERNEL_ELF_FILE))
                .sorted(Comparator.comparing(Output::name))
                .forEach(o -> canonical.append(o.name()).append(' ').append(o.sha256()).append('\n'));
        canonical.append("cmdline ").append(cmdline).append('\n');
        canonical.append("memoryMb ").append(memoryMb).append('\n');
        return "sha256:" + Sha256.hex(canonical.toString());
    }

    public byte[] toJson() {
        Map<String, Object> root = new TreeMap<>();
        root.put("recipe", recipe);
        root.put("recipeVersion", recipeVersion);
        root.put("key", key);
        root.put("suite", suite);
        root.put("releaseDate", releaseDate);
        root.put("mirror", mirror);
        root.put("kernelVersion", kernelVersion);
        root.put("inputs", inputs(inputs));
        List<Map<String, Object>> outputList = new ArrayList<>();
        for (Output out : outputs) {
            outputList.add(Map.of("name", out.name(), "sha256", out.sha256(), "size", out.size()));
        }
        root.put("outputs", outputList);
        root.put("modules", modules);
        root.put("cmdline", cmdline);
        root.put("memoryMb", memoryMb);
        root.put("id", id);
        if (rootfs != null) {
            Map<String, Object> section = new TreeMap<>();
            section.put("packages", inputs(rootfs.packages()));
            section.put("files", rootfs.files());
            section.put("bytes", rootfs.bytes());
            section.put("firstBoot", rootfs.firstBoot());
            root.put("rootfs", section);
        }
        try {
            String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> inputs(List<Input> inputs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Input in : inputs) {
            list.add(Map.of("package", in.packageName(), "version", in.version(), "filename", in.filename(),
                    "sha256", in.sha256(), "size", in.size()));
        }
        return list;
    }

    private static List<Input> inputs(JsonNode array) {
        List<Input> inputs = new ArrayList<>();
        for (JsonNode in : array) {
            inputs.add(new Input(text(in, "package"), text(in, "version"), text(in, "filename"), text(in, "sha256"),
                    number(in, "size")));
        }
        return inputs;
    }

    private static Rootfs rootfs(JsonNode root) {
        JsonNode section = root.get("rootfs");
        if (section == null || section.isNull()) {
            return null;
        }
        List<String> firstBoot = new ArrayList<>();
        array(section, "firstBoot").forEach(c -> firstBoot.add(c.asText()));
        return new Rootfs(inputs(array(section, "packages")), number(section, "files"), number(section, "bytes"),
                firstBoot);
    }

    /** @throws IllegalArgumentException if {@code json} is not a complete manifest */
    public static Manifest fromJson(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest.json is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("manifest.json is not a JSON object");
        }
        List<Input> inputs = inputs(array(root, "inputs"));
        List<Output> outputs = new ArrayList<>();
        for (JsonNode out : array(root, "outputs")) {
            outputs.add(new Output(text(out, "name"), text(out, "sha256"), number(out, "size")));
        }
        List<String> modules = new ArrayList<>();
        array(root, "modules").forEach(m -> modules.add(m.asText()));
        return new Manifest(text(root, "recipe"), (int) number(root, "recipeVersion"), text(root, "key"),
                text(root, "suite"), text(root, "releaseDate"), text(root, "mirror"), text(root, "kernelVersion"),
                inputs, outputs, modules, text(root, "cmdline"), (int) number(root, "memoryMb"), text(root, "id"),
                rootfs(root));
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("manifest.json: '" + field + "' is missing or not an array");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("manifest.json: '" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "manifest.json: '%s' is missing or not a number", field));
        }
        return value.asLong();
    }
}
