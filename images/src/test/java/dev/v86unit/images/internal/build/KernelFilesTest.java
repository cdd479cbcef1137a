package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.debian.PackageEntry;
import dev.v86unit.images.testing.FakeDeb;
import dev.v86unit.images.testing.TinyElf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelFilesTest {

    private static final String VERSION = "6.1.0-50-686";
    private static final PackageEntry ENTRY = new PackageEntry("linux-image-6.1.0-50-686-unsigned", "6.1.176-1",
            "i386", "pool/k.deb", "0".repeat(64), 1, "", "", "", "optional", false, "");

    @TempDir
    Path dir;

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private static byte[] bzImage() {
        byte[] image = new byte[1024];
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, image, 0x202, 4);
        return image;
    }

    private void module(String path, String name, String depends, String version) {
        files.put("lib/modules/" + VERSION + "/kernel/" + path,
                TinyElf.signed(TinyElf.module(name, depends, version), 300));
    }

    private KernelFiles extract(List<String> modules) throws IOException {
        Path deb = Files.write(dir.resolve("kernel.deb"), FakeDeb.of(files));
        return KernelFiles.extract(deb, ENTRY, modules);
    }

    @Test
    void should_take_the_kernel_and_the_named_modules_in_load_order() throws IOException {
        files.put("boot/vmlinuz-" + VERSION, bzImage());
        module("fs/9p/9p.ko", "9p", "netfs", VERSION);
        module("fs/netfs/netfs.ko", "netfs", "", VERSION);
        module("drivers/net/dummy.ko", "dummy", "", VERSION);

        KernelFiles kernel = extract(List.of("9p", "netfs"));

        assertThat(kernel.version()).isEqualTo(VERSION);
        assertThat(kernel.vmlinuz()).isEqualTo(bzImage());
        assertThat(kernel.loadOrder()).containsExactly("netfs.ko", "9p.ko");
        assertThat(kernel.modules().get("9p.ko")).isEqualTo(TinyElf.module("9p", "netfs", VERSION));
    }

    @Test
    void should_decompress_xz_modules() throws IOException {
        files.put("boot/vmlinuz-" + VERSION, bzImage());
        byte[] module = TinyElf.module("netfs", "", VERSION);
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(xz, new LZMA2Options())) {
            out.write(module);
        }
        files.put("usr/lib/modules/" + VERSION + "/kernel/fs/netfs/netfs.ko.xz", xz.toByteArray());

        assertThat(extract(List.of("netfs")).modules().get("netfs.ko")).isEqualTo(module);
    }

    @Test
    void should_name_a_missing_module() throws IOException {
        files.put("boot/vmlinuz-" + VERSION, bzImage());
        module("fs/netfs/netfs.ko", "netfs", "", VERSION);

        assertThatThrownBy(() -> extract(List.of("netfs", "9p")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("kernel package linux-image-6.1.0-50-686-unsigned 6.1.176-1 has no module 9p under "
                        + "/lib/modules/" + VERSION);
    }

    @Test
    void should_name_a_dependency_outside_the_module_list() throws IOException {
        files.put("boot/vmlinuz-" + VERSION, bzImage());
        module("fs/9p/9p.ko", "9p", "9pnet,netfs", VERSION);
        module("fs/netfs/netfs.ko", "netfs", "", VERSION);

        assertThatThrownBy(() -> extract(List.of("9p", "netfs")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("Module 9p depends on 9pnet, which is not among the modules to load");
    }

    @Test
    void should_reject_a_module_built_for_another_kernel() throws IOException {
        files.put("boot/vmlinuz-" + VERSION, bzImage());
        module("fs/netfs/netfs.ko", "netfs", "", "6.1.0-47-686");

        assertThatThrownBy(() -> extract(List.of("netfs")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("module netfs.ko was built for '6.1.0-47-686 SMP")
                .hasMessageContaining("not for kernel " + VERSION);
    }

    @Test
    void should_reject_a_kernel_that_is_no_bzimage() throws IOException {
        files.put("boot/vmlinuz-" + VERSION, new byte[1024]);

        assertThatThrownBy(() -> extract(List.of()))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("is not an x86 bzImage");
    }

    @Test
    void should_reject_a_package_without_kernel() throws IOException {
        module("fs/netfs/netfs.ko", "netfs", "", VERSION);

        assertThatThrownBy(() -> extract(List.of("netfs")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("contains no /boot/vmlinuz-*");
    }
}
