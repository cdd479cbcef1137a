package dev.v86unit.images.internal.kmod;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes the signature that {@code scripts/sign-file} appends to a module:
 * {@code <module><signature><struct module_signature (12 bytes)>"~Module signature appended~\n"}, where
 * the struct's last 4 bytes are the signature length, big-endian. The kernel loads the unsigned module
 * (Debian does not enforce signatures unless Secure Boot lockdown is on) and skips an RSA check that is
 * slow on an emulated CPU.
 */
public final class ModuleSignature {

    static final byte[] MAGIC = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    static final int STRUCT_SIZE = 12;

    private ModuleSignature() {
    }

    public static boolean isSigned(byte[] module) {
        return module.length >= MAGIC.length + STRUCT_SIZE
                && Arrays.equals(module, module.length - MAGIC.length, module.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * @return the module without its signature, or {@code module} itself if it is not signed
     * @throws IllegalArgumentException if the signature trailer is inconsistent
     */
    public static byte[] strip(byte[] module) {
        if (!isSigned(module)) {
            return module;
        }
        int structEnd = module.length - MAGIC.length;
        long signatureLength = Integer.toUnsignedLong(ByteBuffer.wrap(module, structEnd - 4, 4).getInt());
        long moduleLength = structEnd - STRUCT_SIZE - signatureLength;
        if (moduleLength <= 0) {
            throw new IllegalArgumentException("Module signature length " + signatureLength
                    + " exceeds the file size " + module.length);
        }
        return Arrays.copyOf(module, (int) moduleLength);
    }
}
