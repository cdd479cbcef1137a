package dev.v86unit.images.internal.debian;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OpenPGP public keys we trust to sign a Debian archive. The built-in set is Debian's archive
 * signing keys for bullseye, bookworm and trixie (copied from the {@code debian-archive-keyring} package), shipped
 * in this jar so that the trust root does not depend on the host.
 */
public final class DebianKeyring {

    /** Keyring resources, next to this module's other resources. Update when Debian releases forky. */
    static final List<String> BUILT_IN_RESOURCES = List.of(
            "debian-archive-bullseye-stable.gpg",
            "debian-archive-bullseye-automatic.gpg",
            "debian-archive-bullseye-security-automatic.gpg",
            "debian-archive-bookworm-stable.gpg",
            "debian-archive-bookworm-automatic.gpg",
            "debian-archive-bookworm-security-automatic.gpg",
            "debian-archive-trixie-stable.gpg",
            "debian-archive-trixie-automatic.gpg",
            "debian-archive-trixie-security-automatic.gpg");

    private static final String RESOURCE_DIR = "/dev/v86unit/images/keyrings/";

    private final List<PGPPublicKeyRingCollection> keyrings;

    private DebianKeyring(List<PGPPublicKeyRingCollection> keyrings) {
        this.keyrings = List.copyOf(keyrings);
    }

    public static DebianKeyring builtIn() {
        List<PGPPublicKeyRingCollection> keyrings = new ArrayList<>();
        for (String name : BUILT_IN_RESOURCES) {
            try (InputStream in = DebianKeyring.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("Keyring resource " + RESOURCE_DIR + name + " is missing from the jar");
                }
                keyrings.add(read(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read keyring resource " + name, e);
            }
        }
        return new DebianKeyring(keyrings);
    }

    /** A keyring from binary or ASCII-armored key files, e.g. for tests. */
    public static DebianKeyring of(List<byte[]> keyFiles) {
        List<PGPPublicKeyRingCollection> keyrings = new ArrayList<>();
        for (byte[] keyFile : keyFiles) {
            try {
                keyrings.add(read(new ByteArrayInputStream(keyFile)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DebianKeyring(keyrings);
    }

    private static PGPPublicKeyRingCollection read(InputStream in) throws IOException {
        try {
            return new PGPPublicKeyRingCollection(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
        } catch (PGPException e) {
            throw new IOException("Not an OpenPGP public keyring", e);
        }
    }

    /** The key (primary or subkey) with this 64-bit key ID. */
    public Optional<PGPPublicKey> find(long keyId) {
        for (PGPPublicKeyRingCollection keyring : keyrings) {
            PGPPublicKey key = keyring.getPublicKey(keyId);
            if (key != null) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }
}
