package dev.v86unit.images.testing;

import dev.v86unit.images.internal.debian.DebianKeyring;
import dev.v86unit.images.internal.debian.HttpSource;
import dev.v86unit.images.internal.debian.HttpStatusException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A complete, offline Debian archive for the busybox recipe, signed by a {@link TestSigner}: InRelease,
 * by-hash Packages.xz, a kernel package with a fake bzImage and tiny signed modules, busybox-static and
 * seabios. It serves itself as an {@link HttpSource} and records every request.
 */
public final class FakeArchive implements HttpSource {

    public static final URI MIRROR = URI.create("http://mirror.invalid/debian");
    public static final String KERNEL_VERSION = "6.1.0-99-686";
    public static final String KERNEL_PACKAGE = "linux-image-6.1.0-99-686-unsigned";

    /** The module dependencies of Debian 6.1 (from modinfo), plus an unrelated module. */
    public static final Map<String, String> MODULES = new TreeMap<>(Map.ofEntries(
            Map.entry("drivers/virtio/virtio", ""),
            Map.entry("drivers/virtio/virtio_ring", ""),
            Map.entry("drivers/virtio/virtio_pci_modern_dev", ""),
            Map.entry("drivers/virtio/virtio_pci_legacy_dev", ""),
            Map.entry("drivers/virtio/virtio_pci", "virtio_ring,virtio_pci_modern_dev,virtio_pci_legacy_dev,virtio"),
            Map.entry("net/9p/9pnet", ""),
            Map.entry("net/9p/9pnet_virtio", "virtio,9pnet,virtio_ring"),
            Map.entry("fs/netfs/netfs", ""),
            Map.entry("fs/fscache/fscache", "netfs"),
            Map.entry("fs/9p/9p", "9pnet,fscache,netfs"),
            Map.entry("drivers/char/virtio_console", "virtio,virtio_ring"),
            Map.entry("net/core/failover", ""),
            Map.entry("drivers/net/net_failover", "failover"),
            Map.entry("drivers/net/virtio_net", "net_failover,virtio,virtio_ring"),
            Map.entry("drivers/net/dummy", "")));

    public final TestSigner signer = new TestSigner();
    public final byte[] vmlinuz = fakeBzImage();
    public final byte[] busybox = "\177ELF fake busybox".getBytes(StandardCharsets.US_ASCII);
    public final byte[] bios = new byte[128 * 1024];
    public final byte[] kernelDeb;
    public final byte[] busyboxDeb;
    public final byte[] seabiosDeb;

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** Packages added by tests, published in every index after the built-in ones. */
    private final List<String> addedStanzas = Collections.synchronizedList(new ArrayList<>());
    private final List<URI> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile long delayMillis;

    public FakeArchive() {
        for (int i = 0; i < bios.length; i++) {
            bios[i] = (byte) (i * 31);
        }
        Map<String, byte[]> kernelFiles = new LinkedHashMap<>();
        kernelFiles.put("boot/vmlinuz-" + KERNEL_VERSION, vmlinuz);
        kernelFiles.put("boot/config-" + KERNEL_VERSION, "CONFIG_X86_32=y\n".getBytes(StandardCharsets.US_ASCII));
        MODULES.forEach((path, depends) -> {
            String name = path.substring(path.lastIndexOf('/') + 1);
            kernelFiles.put("lib/modules/" + KERNEL_VERSION + "/kernel/" + path + ".ko",
                    TinyElf.signed(TinyElf.module(name, depends, KERNEL_VERSION), 256));
        });
        kernelDeb = FakeDeb.of(kernelFiles);
        busyboxDeb = FakeDeb.of(Map.of("bin/busybox", busybox, "usr/share/doc/busybox-static/copyright",
                "GPL".getBytes(StandardCharsets.US_ASCII)));
        seabiosDeb = FakeDeb.of(Map.of("usr/share/seabios/bios.bin", bios, "usr/share/seabios/vgabios-stdvga.bin",
                new byte[512]));
        publish("bookworm", "Sat, 11 Jul 2026 10:16:37 UTC");
    }

    /** (Re)writes InRelease and Packages.xz for {@code suite}, signed by our key. */
    public void publish(String suite, String date) {
        String kernelPath = "pool/main/l/linux/" + KERNEL_PACKAGE + "_6.1.999-1_i386.deb";
        String busyboxPath = "pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_i386.deb";
        String seabiosPath = "pool/main/s/seabios/seabios_1.16.2-1_all.deb";
        files.put(kernelPath, kernelDeb);
        files.put(busyboxPath, busyboxDeb);
        files.put(seabiosPath, seabiosDeb);
        String packages = stanza("linux-image-6.1.0-98-686-unsigned", "6.1.990-1", "i386",
                "pool/main/l/linux/linux-image-6.1.0-98-686-unsigned_6.1.990-1_i386.deb", kernelDeb)
                + stanza("linux-image-6.1.0-99-686-pae-unsigned", "6.1.999-1", "i386",
                "pool/main/l/linux/linux-image-6.1.0-99-686-pae-unsigned_6.1.999-1_i386.deb", kernelDeb)
                + stanza(KERNEL_PACKAGE, "6.1.999-1", "i386", kernelPath, kernelDeb)
                + stanza("busybox-static", "1:1.35.0-4+deb12u1+b1", "i386", busyboxPath, busyboxDeb)
                + stanza("busybox-static", "1:1.35.0-4", "i386", "pool/main/b/busybox/old.deb", busyboxDeb)
                + stanza("seabios", "1.16.2-1", "all", seabiosPath, seabiosDeb)
                + String.join("", addedStanzas);
        byte[] packagesXz = FakeDeb.xz(packages.getBytes(StandardCharsets.UTF_8));
        files.put("dists/" + suite + "/main/binary-i386/by-hash/SHA256/" + sha256(packagesXz), packagesXz);
        String release = "Origin: Debian\nLabel: Debian\nSuite: oldstable\nCodename: " + suite + "\nDate: " + date
                + "\nAcquire-By-Hash: yes\nArchitectures: i386\nComponents: main\nSHA256:\n"
                + " " + sha256(packages.getBytes(StandardCharsets.UTF_8)) + " " + packages.length()
                + " main/binary-i386/Packages\n"
                + " " + sha256(packagesXz) + " " + packagesXz.length + " main/binary-i386/Packages.xz\n";
        files.put("dists/" + suite + "/InRelease", signer.clearSign(release));
    }

    /**
     * Adds a package to the archive and republishes bookworm's index.
     *
     * @param fields further control fields, e.g. {@code "Depends: libc6\nEssential: yes\n"}
     */
    public void addPackage(String name, String version, String fields, byte[] deb) {
        String filename = "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_i386.deb";
        files.put(filename, deb);
        addedStanzas.add("Package: " + name + "\nVersion: " + version + "\nArchitecture: i386\n" + fields
                + "Description: fake " + name + "\nFilename: " + filename + "\nSize: " + deb.length + "\nSHA256: "
                + sha256(deb) + "\n\n");
        publish("bookworm", "Sat, 11 Jul 2026 10:16:37 UTC");
    }

    public DebianKeyring keyring() {
        return DebianKeyring.of(List.of(signer.publicKeyring()));
    }

    /** Replaces a served file, e.g. with corrupted bytes. */
    public void put(String path, byte[] content) {
        files.put(path, content);
    }

    public byte[] file(String path) {
        return files.get(path);
    }

    /** Makes every request wait, to widen race windows in concurrency tests. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    public List<URI> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public long requestsEndingWith(String suffix) {
        return requests().stream().filter(u -> u.getPath().endsWith(suffix)).count();
    }

    @Override
    public InputStream open(URI uri) throws IOException {
        requests.add(uri);
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        String prefix = MIRROR + "/";
        byte[] content = uri.toString().startsWith(prefix) ? files.get(uri.toString().substring(prefix.length())) : null;
        if (content == null) {
            throw new HttpStatusException(uri, 404);
        }
        return new ByteArrayInputStream(content);
    }

    private static String stanza(String name, String version, String arch, String filename, byte[] deb) {
        return "Package: " + name + "\nVersion: " + version + "\nInstalled-Size: 1\nArchitecture: " + arch
                + "\nDepends: kmod, linux-base (>= 4.3~)\nDescription: fake\n multi-line description\n .\n end\n"
                + "Filename: " + filename + "\nSize: " + deb.length + "\nSHA256: " + sha256(deb) + "\n\n";
    }

    /** 0x202 "HdrS": the x86 boot protocol signature that makes it a bzImage. */
    private static byte[] fakeBzImage() {
        byte[] image = new byte[4096];
        image[0x1fe] = 0x55;
        image[0x1ff] = (byte) 0xaa;
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, image, 0x202, 4);
        return image;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
