package dev.v86unit.images;

import dev.v86unit.images.internal.build.BuildInputs;
import dev.v86unit.images.internal.build.BuiltInRecipes;
import dev.v86unit.images.internal.build.ImageCache;
import dev.v86unit.images.internal.build.Manifest;
import dev.v86unit.images.internal.build.Recipe;
import dev.v86unit.images.internal.debian.DebianKeyring;
import dev.v86unit.images.internal.debian.HttpSource;
import dev.v86unit.images.internal.debian.JdkHttpSource;
import dev.v86unit.images.internal.kmod.ModInfo;
import dev.v86unit.images.testing.NewcReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds the real busybox image from deb.debian.org (about 60 MB of downloads) into a fresh cache. */
@DisplayName("The busybox image, built from the real Debian archive")
class BusyboxImageIT {

    private static final Recipe RECIPE = BuiltInRecipes.find("busybox").orElseThrow();

    @TempDir
    static Path cacheDir;

    private static Path imagesDir;
    private static final List<URI> REQUESTS = Collections.synchronizedList(new ArrayList<>());
    private static final HttpSource COUNTING = uri -> {
        REQUESTS.add(uri);
        return new JdkHttpSource().open(uri);
    };
    private static final HttpSource NO_NETWORK = uri -> {
        throw new AssertionError("Unexpected network access: " + uri);
    };
    private static ImageStore store;
    private static Image image;
    private static Manifest manifest;

    @BeforeAll
    static void buildOnce() throws IOException {
        imagesDir = cacheDir.resolve("images");
        store = new ImageStore(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR, COUNTING);
        long start = System.nanoTime();
        image = store.get("busybox");
        System.out.printf("Fresh build of 'busybox' (download + build): %d ms%n", (System.nanoTime() - start) / 1_000_000);
        manifest = Manifest.fromJson(Files.readAllBytes(image.manifest()));
    }

    @Test
    void should_download_the_signed_index_and_three_packages() {
        assertThat(REQUESTS).extracting(URI::toString).hasSize(5)
                .first().isEqualTo("http://deb.debian.org/debian/dists/bookworm/InRelease");
        assertThat(REQUESTS.get(1).getPath()).contains("/main/binary-i386/by-hash/SHA256/");
        assertThat(REQUESTS.subList(2, 5)).extracting(URI::getPath).allMatch(p -> p.endsWith(".deb"));
    }

    @Test
    void should_record_the_newest_kernel_and_its_packages_in_the_manifest() {
        assertThat(manifest.recipe()).isEqualTo("busybox");
        assertThat(manifest.suite()).isEqualTo("bookworm");
        assertThat(manifest.releaseDate()).matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} UTC");
        assertThat(manifest.kernelVersion()).matches("6\\.1\\.0-\\d+-686");
        assertThat(manifest.inputs()).extracting(Manifest.Input::packageName).containsExactly(
                "busybox-static", "linux-image-" + manifest.kernelVersion() + "-unsigned", "seabios");
        assertThat(manifest.inputs()).allSatisfy(in -> {
            assertThat(in.sha256()).matches("[0-9a-f]{64}");
            assertThat(imagesDir.resolve("debs").resolve(in.filename().substring(in.filename().lastIndexOf('/') + 1)))
                    .hasSize(in.size());
        });
        assertThat(manifest.outputs()).extracting(Manifest.Output::name)
                .containsExactly("bios.bin", "initrd.cpio", "vmlinux", "vmlinuz");
        assertThat(manifest.id()).isEqualTo(image.id()).matches("sha256:[0-9a-f]{64}");
        assertThat(image.cmdline()).isEqualTo(BuiltInRecipes.FAST_CMDLINE);
        assertThat(image.memoryMb()).isEqualTo(128);
        System.out.printf("Image id: %s, kernel %s%n", image.id(), manifest.kernelVersion());
    }

    @Test
    void should_contain_a_bootable_kernel_and_seabios() throws IOException {
        byte[] kernel = Files.readAllBytes(image.kernel());
        assertThat(new String(kernel, 0x202, 4, StandardCharsets.US_ASCII)).isEqualTo("HdrS");
        assertThat(Files.size(image.bios())).isIn(128L * 1024, 256L * 1024);
    }

    @Test
    void should_hold_the_kernel_unpacked_for_the_host_to_load_at_its_entry() throws IOException {
        byte[] elf = Files.readAllBytes(image.kernelElf());
        ByteBuffer header = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        byte[] bzImage = Files.readAllBytes(image.kernel());
        long prefAddress = ByteBuffer.wrap(bzImage).order(ByteOrder.LITTLE_ENDIAN).getLong(0x258);

        assertThat(header.getInt(0)).as("ELF magic").isEqualTo(0x464c457f);
        assertThat(header.getShort(18)).as("e_machine EM_386").isEqualTo((short) 3);
        assertThat(Integer.toUnsignedLong(header.getInt(24))).as("entry").isEqualTo(prefAddress).isEqualTo(0x1000000);
        // the kernel proper of a ~5.6 MB xz bzImage: ~15 MB
        assertThat(elf.length).isGreaterThan(2 * bzImage.length);
    }

    @Test
    void should_contain_busybox_the_init_and_the_stripped_modules_in_dependency_order() throws IOException {
        Map<String, NewcReader.Entry> initrd = NewcReader.byName(Files.readAllBytes(image.initrd()));

        assertThat(new String(initrd.get("bin/busybox").data(), 0, 4, StandardCharsets.ISO_8859_1))
                .isEqualTo("\177ELF");
        assertThat(initrd.get("init").data()).isEqualTo(RECIPE.init());
        assertThat(initrd.get("dev/console").rdevMajor()).isEqualTo(5);
        List<String> order = initrd.get("etc/v86unit/modules").text().lines().toList();
        assertThat(order).hasSize(13).containsExactlyInAnyOrderElementsOf(
                RECIPE.modules().stream().map(m -> m + ".ko").toList());
        // busybox modprobe finds a module through modules.dep in /lib/modules/<uname -r>
        assertThat(initrd.get("lib/modules/" + manifest.kernelVersion() + "/modules.dep").text().lines())
                .containsExactlyElementsOf(order.stream().map(file -> file + ":").toList());
        Set<String> loaded = new HashSet<>();
        for (String file : order) {
            byte[] module = initrd.get("lib/modules/" + manifest.kernelVersion() + "/" + file).data();
            assertThat(new String(module, StandardCharsets.ISO_8859_1)).as(file)
                    .doesNotContain("~Module signature appended~");
            ModInfo info = ModInfo.parse(module);
            assertThat(loaded).as("dependencies of " + file + " loaded before it").containsAll(info.depends());
            assertThat(info.vermagic()).hasValueSatisfying(v -> assertThat(v).startsWith(manifest.kernelVersion()));
            loaded.add(info.name().orElseThrow());
        }
    }

    @Test
    void should_reuse_the_built_image_without_network_access() {
        int before = REQUESTS.size();
        long start = System.nanoTime();
        Image again = store.get("busybox");
        long sameStore = System.nanoTime() - start;
        start = System.nanoTime();
        Image fromNewStore = new ImageStore(imagesDir, URI.create("http://mirror.invalid/debian"), NO_NETWORK)
                .get("busybox");
        long newStore = System.nanoTime() - start;

        assertThat(REQUESTS).hasSize(before);
        assertThat(again).isEqualTo(image);
        assertThat(fromNewStore).isEqualTo(image);
        System.out.printf("Cached get: %.1f ms (same store), %.1f ms (new store)%n", sameStore / 1e6, newStore / 1e6);
    }

    @Test
    void should_rebuild_byte_identical_files_from_the_cached_packages(@TempDir Path scratch) throws IOException {
        ImageCache offline = new ImageCache(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR, NO_NETWORK,
                DebianKeyring::builtIn);
        BuildInputs inputs = BuildInputs.of(manifest);
        Path first = Files.createDirectories(scratch.resolve("first"));
        Path second = Files.createDirectories(scratch.resolve("second"));

        Manifest a = offline.builder(RECIPE).build(inputs, first);
        Manifest b = offline.builder(RECIPE).build(inputs, second);

        assertThat(a.id()).isEqualTo(b.id()).isEqualTo(image.id());
        for (String name : List.of("vmlinuz", "vmlinux", "initrd.cpio", "bios.bin")) {
            assertThat(first.resolve(name)).hasSameBinaryContentAs(second.resolve(name))
                    .hasSameBinaryContentAs(image.kernel().resolveSibling(name));
        }
    }

    @Test
    void should_keep_the_init_resource_that_the_guest_protocol_relies_on() throws IOException {
        try (InputStream in = BuiltInRecipes.class.getResourceAsStream("/dev/v86unit/images/guest/init")) {
            assertThat(in.readAllBytes()).isEqualTo(RECIPE.init());
        }
    }
}
