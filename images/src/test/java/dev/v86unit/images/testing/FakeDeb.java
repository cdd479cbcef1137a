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

    /** A .deb with exactly the members given, in the order given (dpkg-deb order: directories first). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a .deb member by member; paths without the leading "./". */
    public static final class Builder {
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(data);
        private final Map<String, byte[]> control = new TreeMap<>();
        private long mtime = 1_700_000_000L;

        private Builder() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            control.put("control", "Package: fake\nVersion: 1\n".getBytes(StandardCharsets.UTF_8));
        }

        /** The mtime of the members added from now on, in seconds. */
        public Builder mtime(long seconds) {
            mtime = seconds;
            return this;
        }

        public Builder dir(String path, int mode) {
            return add(entry(path + "/", TarArchiveEntry.LF_DIR, mode, 0, 0), null);
        }

        public Builder file(String path, int mode, String content) {
            return file(path, mode, 0, 0, content.getBytes(StandardCharsets.UTF_8));
        }

        public Builder file(String path, int mode, long uid, long gid, byte[] content) {
            TarArchiveEntry entry = entry(path, TarArchiveEntry.LF_NORMAL, mode, uid, gid);
            entry.setSize(content.length);
            return add(entry, content);
        }

        public Builder symlink(String path, String target) {
            TarArchiveEntry entry = entry(path, TarArchiveEntry.LF_SYMLINK, 0777, 0, 0);
            entry.setLinkName(target);
            return add(entry, null);
        }

        public Builder hardlink(String path, String target) {
            TarArchiveEntry entry = entry(path, TarArchiveEntry.LF_LINK, 0644, 0, 0);
            entry.setLinkName("./" + target);
            return add(entry, null);
        }

        public Builder fifo(String path) {
            return add(entry(path, TarArchiveEntry.LF_FIFO, 0644, 0, 0), null);
        }

        /** A control.tar member such as "postinst" or "control". */
        public Builder control(String name, String content) {
            control.put(name, content.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        private TarArchiveEntry entry(String path, byte type, int mode, long uid, long gid) {
            TarArchiveEntry entry = new TarArchiveEntry("./" + path, type);
            entry.setMode(mode);
            entry.setModTime(mtime * 1000);
            entry.setUserId(uid);
            entry.setGroupId(gid);
            return entry;
        }

        private Builder add(TarArchiveEntry entry, byte[] content) {
            try {
                tar.putArchiveEntry(entry);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public byte[] build() {
            try {
                tar.close();
                ByteArrayOutputStream deb = new ByteArrayOutputStream();
                try (ArArchiveOutputStream ar = new ArArchiveOutputStream(deb)) {
                    member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
                    member(ar, "control.tar.xz", compress(controlTar(), Compression.XZ));
                    member(ar, "data.tar.xz", compress(data.toByteArray(), Compression.XZ));
                }
                return deb.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] controlTar() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream controlTar = new TarArchiveOutputStream(out)) {
                controlTar.putArchiveEntry(new TarArchiveEntry("./"));
                controlTar.closeArchiveEntry();
                for (Map.Entry<String, byte[]> file : control.entrySet()) {
                    TarArchiveEntry entry = new TarArchiveEntry("./" + file.getKey());
                    entry.setSize(file.getValue().length);
                    controlTar.putArchiveEntry(entry);
                    controlTar.write(file.getValue());
                    controlTar.closeArchiveEntry();
                }
            }
            return out.toByteArray();
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
