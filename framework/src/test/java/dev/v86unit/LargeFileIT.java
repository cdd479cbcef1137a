package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10 MB and 100 MB in and out, byte-exact, without the JVM holding the file (the Node host reads and
 * writes the host files itself). Rates are printed, not asserted.
 */
class LargeFileIT {

    @Test
    void large_files_go_in_and_come_out_byte_exact(@TempDir Path dir) throws Exception {
        try (V86Machine vm = V86Machine.start("debian")) {
            for (int megabytes : new int[] {10, 100}) {
                Path original = dir.resolve(megabytes + "mb.bin");
                String expected = writeRandom(original, megabytes * 1024L * 1024L);

                long start = System.nanoTime();
                vm.copyTo(original, "/root/big.bin");
                double in = (System.nanoTime() - start) / 1e9;
                assertThat(vm.exec("wc -c < /root/big.bin").stdout().trim()).isEqualTo(Long.toString(megabytes * 1024L * 1024L));

                Path back = dir.resolve(megabytes + "mb-back.bin");
                start = System.nanoTime();
                vm.copyFrom("/root/big.bin", back);
                double out = (System.nanoTime() - start) / 1e9;

                assertThat(sha256(back)).isEqualTo(expected);
                System.out.printf("v86unit large files: %d MB in %.1f s (%.1f MB/s), out %.1f s (%.1f MB/s)%n",
                        megabytes, in, megabytes / in, out, megabytes / out);
                vm.exec("rm -f /root/big.bin");
                Files.delete(back);
                Files.delete(original);
            }
        }
    }

    private static String writeRandom(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] buffer = new byte[1 << 20];
        MessageDigest sha = sha();
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer);
                sha.update(buffer);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
