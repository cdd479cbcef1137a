package dev.v86unit.images.testing;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/** Builds small but well-formed .deb files, laid out as dpkg-deb does ("./dir/", "./dir/file"). */
public final class FakeDeb {

    /** How data.tar is compressed; the member name follows ("data.tar.xz", ...). */
    public enum Compression {
        XZ("data.tar.xz"), GZ("data.tar.gz"), NONE("data.tar"), ZST("data.tar.zst");

        final String member;

        Compression(String member) {
            this.member = member;
        }
    }

    private FakeDeb() {
    }

    public static byte[] of(Map<String, byte[]> files) {
        return of(files, Compression.XZ);
    }

    /** @param files path without leading "/" -> content; a symlink "usr/bin/link" -> "target" is added too */
    public static byte[] of(Map<String, byte[]> files, Compression compression) {
        try {
            ByteArrayOutputStream deb = new ByteArrayOutputStream();
            try (ArArchiveOutputStream ar = new ArArchiveOutputStream(deb)) {
                member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
                member(ar, "control.tar.xz", compress(tar(Map.of("control", "Package: fake\n".getBytes(
                        StandardCharsets.US_ASCII))), Compression.XZ));
                member(ar, compression.member, compress(tar(files), compression));
            }
            return deb.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] content) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, content.length, 0, 0, 0100644, 0));
        ar.write(content);
        ar.closeArchiveEntry();
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        TreeSet<String> dirs = new TreeSet<>();
        for (String path : files.keySet()) {
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                dirs.add(path.substring(0, slash));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            tar.putArchiveEntry(new TarArchiveEntry("./"));
            tar.closeArchiveEntry();
            for (String dir : dirs) {
                tar.putArchiveEntry(new TarArchiveEntry("./" + dir + "/"));
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry("./" + file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
            TarArchiveEntry link = new TarArchiveEntry("./usr/bin/link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("target");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static byte[] compress(byte[] data, Compression compression) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (compression) {
            case XZ -> {
                try (OutputStream xz = new XZOutputStream(out, new LZMA2Options(1))) {
                    xz.write(data);
                }
            }
            case GZ -> {
                try (OutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(data);
                }
            }
            default -> out.write(data); // NONE, and ZST whose content we never get to read
        }
        return out.toByteArray();
    }

    /** xz-compresses {@code data}, as Debian does its Packages indexes. */
    public static byte[] xz(byte[] data) {
        try {
            return compress(data, Compression.XZ);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
