package dev.v86unit.images.testing;

import io.airlift.compress.zstd.ZstdCompressor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/** Builds tar archives in memory for tests, members in the order added, with fixed times and owners. */
public final class TestTar {

    private record Member(Consumer<TarArchiveOutputStream> write) {
    }

    private final List<Member> members = new ArrayList<>();

    public TestTar file(String path, int mode, byte[] content) {
        members.add(new Member(out -> {
            TarArchiveEntry entry = new TarArchiveEntry(path, true);
            entry.setMode(0100000 | mode);
            entry.setSize(content.length);
            put(out, entry, content);
        }));
        return this;
    }

    public TestTar file(String path, String content) {
        return file(path, 0644, content.getBytes(StandardCharsets.UTF_8));
    }

    public TestTar dir(String path, int mode) {
        members.add(new Member(out -> {
            TarArchiveEntry entry = new TarArchiveEntry(path.endsWith("/") ? path : path + "/");
            entry.setMode(040000 | mode);
            put(out, entry, null);
        }));
        return this;
    }

    public TestTar symlink(String path, String target) {
        members.add(new Member(out -> {
            TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
            entry.setLinkName(target);
            put(out, entry, null);
        }));
        return this;
    }

    public TestTar hardlink(String path, String target) {
        members.add(new Member(out -> {
            TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_LINK);
            entry.setLinkName(target);
            put(out, entry, null);
        }));
        return this;
    }

    public TestTar charDevice(String path, int major, int minor) {
        members.add(new Member(out -> {
            TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_CHR);
            entry.setDevMajor(major);
            entry.setDevMinor(minor);
            put(out, entry, null);
        }));
        return this;
    }

    /** A minimal root filesystem: /bin/sh an i386 ELF program, /etc/os-release. */
    public static TestTar i386Rootfs() {
        return new TestTar().dir("./", 0755).dir("./bin", 0755).file("./bin/busybox", 0755, elf(1, 3))
                .symlink("./bin/sh", "busybox").dir("./etc", 0755).file("./etc/os-release", "ID=test\n");
    }

    /** The first 52 bytes of an ELF executable: {@code elfClass} 1 = 32-bit, 2 = 64-bit; machine 3 = i386, 62 = x86-64. */
    public static byte[] elf(int elfClass, int machine) {
        ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        header.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, 1, 1, 0});
        header.position(16);
        header.putShort((short) 2).putShort((short) machine).putInt(1);
        return Arrays.copyOf(header.array(), 64);
    }

    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Member member : members) {
                member.write().accept(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] xz(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(bytes, new LZMA2Options())) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] zstd(byte[] data) {
        ZstdCompressor compressor = new ZstdCompressor();
        byte[] out = new byte[compressor.maxCompressedLength(data.length)];
        int length = compressor.compress(data, 0, data.length, out, 0, out.length);
        return Arrays.copyOf(out, length);
    }

    private static void put(TarArchiveOutputStream out, TarArchiveEntry entry, byte[] content) {
        entry.setModTime(new Date(1_700_000_000_000L));
        entry.setUserId(0);
        entry.setGroupId(0);
        try {
            out.putArchiveEntry(entry);
            if (content != null) {
                out.write(content);
            }
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
