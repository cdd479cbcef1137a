package dev.v86unit.images.internal.oci;

import io.airlift.compress.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a tar that may be compressed, recognised by its first bytes rather than its file name: gzip,
 * xz, zstd (pure Java, no native library) or bzip2; anything else is read as it is.
 */
public final class Compression {

    private static final int BUFFER = 1 << 16;

    private Compression() {
    }

    /** @return the decompressed stream; closing it closes {@code raw} */
    public static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (starts(magic, 0x1f, 0x8b)) {
            return new GZIPInputStream(in, BUFFER);
        }
        if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return new XZInputStream(in);
        }
        if (starts(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
            return new BufferedInputStream(new ZstdInputStream(in), BUFFER);
        }
        if (starts(magic, 'B', 'Z', 'h')) {
            return new BZip2CompressorInputStream(in, true);
        }
        return in;
    }

    private static boolean starts(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
