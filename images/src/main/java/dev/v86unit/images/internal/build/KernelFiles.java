package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.deb.DebExtractor;
import dev.v86unit.images.internal.debian.PackageEntry;
import dev.v86unit.images.internal.kmod.ModInfo;
import dev.v86unit.images.internal.kmod.ModuleOrder;
import dev.v86unit.images.internal.kmod.ModuleSignature;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What we take from a Debian kernel package: the bzImage, and the wanted modules, signatures removed,
 * in load order.
 *
 * @param version the kernel release, e.g. {@code 6.1.0-50-686}
 * @param modules module file name ({@code 9pnet_virtio.ko}) -> content, in load order
 */
public record KernelFiles(String version, byte[] vmlinuz, Map<String, byte[]> modules) {

    private static final Pattern VMLINUZ = Pattern.compile("boot/vmlinuz-(.+)");
    /** Bookworm has /lib/modules, trixie /usr/lib/modules; trixie also compresses them with xz. */
    private static final Pattern MODULE =
            Pattern.compile("(?:usr/)?lib/modules/([^/]+)/kernel/(?:.+/)?([^/]+)\\.ko(\\.xz)?");

    public KernelFiles {
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    /** Reads the kernel package {@code entry}, stored at {@code deb}, keeping the modules {@code moduleNames}. */
    public static KernelFiles extract(Path deb, PackageEntry entry, List<String> moduleNames) {
        String where = "kernel package " + entry.label();
        Set<String> wanted = moduleNames.stream().map(KernelFiles::canonical).collect(Collectors.toSet());
        Map<String, byte[]> files = DebExtractor.extract(deb, path -> VMLINUZ.matcher(path).matches()
                || wanted.contains(canonical(moduleStem(path))));

        Map.Entry<String, byte[]> kernel = kernel(files, where);
        String version = kernel.getKey();
        Map<String, byte[]> modules = modules(files, version, where);
        Set<String> found = modules.keySet().stream().map(f -> canonical(stem(f))).collect(Collectors.toSet());
        for (String name : moduleNames) {
            if (!found.contains(canonical(name))) {
                throw new ImageBuildException(where + " has no module " + name + " under /lib/modules/" + version);
            }
        }
        return new KernelFiles(version, kernel.getValue(), inLoadOrder(modules, version, where));
    }

    public List<String> loadOrder() {
        return new ArrayList<>(modules.keySet());
    }

    /** @return kernel release -> bzImage */
    private static Map.Entry<String, byte[]> kernel(Map<String, byte[]> files, String where) {
        Map<String, byte[]> kernels = new TreeMap<>();
        files.forEach((path, content) -> {
            Matcher matcher = VMLINUZ.matcher(path);
            if (matcher.matches()) {
                kernels.put(matcher.group(1), content);
            }
        });
        if (kernels.size() != 1) {
            throw new ImageBuildException(where + (kernels.isEmpty() ? " contains no /boot/vmlinuz-*"
                    : " contains more than one kernel: " + kernels.keySet()));
        }
        Map.Entry<String, byte[]> kernel = kernels.entrySet().iterator().next();
        byte[] image = kernel.getValue();
        // A bzImage has "HdrS" at 0x202 (the x86 boot protocol header); anything else would not boot.
        if (image.length < 0x206 || image[0x202] != 'H' || image[0x203] != 'd' || image[0x204] != 'r'
                || image[0x205] != 'S') {
            throw new ImageBuildException(where + ": /boot/vmlinuz-" + kernel.getKey()
                    + " is not an x86 bzImage (no HdrS header)");
        }
        return kernel;
    }

    /** @return module file name -> content, decompressed and without signature */
    private static Map<String, byte[]> modules(Map<String, byte[]> files, String version, String where) {
        Map<String, byte[]> modules = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Matcher module = MODULE.matcher(file.getKey());
            if (!module.matches()) {
                continue;
            }
            if (!module.group(1).equals(version)) {
                throw new ImageBuildException(where + ": module " + file.getKey() + " is not for kernel " + version);
            }
            byte[] content = module.group(3) == null ? file.getValue() : unxz(file.getValue(), file.getKey(), where);
            try {
                content = ModuleSignature.strip(content);
            } catch (IllegalArgumentException e) {
                throw new ImageBuildException(where + ": " + file.getKey() + ": " + e.getMessage(), e);
            }
            if (modules.put(module.group(2) + ".ko", content) != null) {
                throw new ImageBuildException(where + " contains module " + module.group(2) + " twice");
            }
        }
        return modules;
    }

    private static Map<String, byte[]> inLoadOrder(Map<String, byte[]> byFile, String version, String where) {
        Map<String, String> fileByModule = new TreeMap<>();
        Map<String, List<String>> depends = new TreeMap<>();
        for (Map.Entry<String, byte[]> module : byFile.entrySet()) {
            ModInfo info;
            try {
                info = ModInfo.parse(module.getValue());
            } catch (IllegalArgumentException e) {
                throw new ImageBuildException(where + ": cannot read the .modinfo of " + module.getKey() + ": "
                        + e.getMessage(), e);
            }
            String vermagic = info.vermagic().orElse("");
            if (!vermagic.startsWith(version + " ")) {
                throw new ImageBuildException(where + ": module " + module.getKey() + " was built for '" + vermagic
                        + "', not for kernel " + version);
            }
            String name = canonical(info.name().orElse(stem(module.getKey())));
            fileByModule.put(name, module.getKey());
            depends.put(name, info.depends().stream().map(KernelFiles::canonical).toList());
        }
        List<String> order;
        try {
            order = ModuleOrder.sort(depends);
        } catch (IllegalArgumentException e) {
            throw new ImageBuildException(where + ": cannot order the kernel modules: " + e.getMessage(), e);
        }
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        for (String name : order) {
            String file = fileByModule.get(name);
            ordered.put(file, byFile.get(file));
        }
        return ordered;
    }

    /** The kernel treats '-' and '_' in module names alike. */
    private static String canonical(String moduleName) {
        return moduleName.replace('-', '_');
    }

    private static String stem(String moduleFile) {
        return moduleFile.endsWith(".ko") ? moduleFile.substring(0, moduleFile.length() - 3) : moduleFile;
    }

    /** The module name of a module path in the package, or "" for other paths. */
    private static String moduleStem(String path) {
        Matcher matcher = MODULE.matcher(path);
        return matcher.matches() ? matcher.group(2) : "";
    }

    private static byte[] unxz(byte[] compressed, String path, String where) {
        try (InputStream in = new XZInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ImageBuildException(where + ": cannot decompress " + path + ": " + e.getMessage(), e);
        }
    }
}
