package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the OpenPGP cleartext signature of an {@code InRelease} file and returns the signed text, the
 * only part of the file that may be trusted. Debian signs InRelease with several keys at once; we
 * require at least one good signature by a key in our keyring and no bad one: a signature by a key we
 * know that fails to verify means the text was altered.
 */
public final class InReleaseVerifier {

    private static final Set<Integer> WEAK_HASHES =
            Set.of(HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1, HashAlgorithmTags.RIPEMD160);

    private final DebianKeyring keyring;

    public InReleaseVerifier(DebianKeyring keyring) {
        this.keyring = keyring;
    }

    /**
     * @param inRelease the file as downloaded
     * @param source    where it came from, for error messages
     * @return the signed text with '\n' line endings
     * @throws ImageBuildException if the file is not clearsigned or not validly signed by a known key
     */
    public String verify(byte[] inRelease, String source) {
        try {
            return verifyOrThrow(inRelease, source);
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof ImageBuildException ibe) {
                throw ibe;
            }
            throw new ImageBuildException("Cannot verify the OpenPGP signature of " + source + ": " + e.getMessage(), e);
        }
    }

    private String verifyOrThrow(byte[] inRelease, String source) throws IOException, PGPException {
        ArmoredInputStream armored = new ArmoredInputStream(new ByteArrayInputStream(inRelease));
        if (!armored.isClearText()) {
            throw new ImageBuildException(source + " is not an OpenPGP cleartext-signed file");
        }
        List<String> lines = signedLines(armored);
        List<PGPSignature> signatures = readSignatures(armored);
        if (signatures.isEmpty()) {
            throw new ImageBuildException(source + " carries no OpenPGP signature");
        }
        byte[] canonical = String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8);
        List<String> good = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (PGPSignature signature : signatures) {
            String keyId = String.format(Locale.ROOT, "%016X", signature.getKeyID());
            PGPPublicKey key = keyring.find(signature.getKeyID()).orElse(null);
            if (key == null) {
                unknown.add(keyId);
                continue;
            }
            String problem = check(signature, key, canonical);
            if (problem != null) {
                throw new ImageBuildException("BAD signature on " + source + " by Debian archive key " + keyId
                        + ": " + problem + ". The file was altered or corrupted in transit.");
            }
            good.add(keyId);
        }
        if (good.isEmpty()) {
            throw new ImageBuildException(source + " is not signed by any of Debian's archive keys known to v86unit"
                    + " (it is signed by key IDs " + unknown + "). If Debian rotated its keys, update v86unit.");
        }
        return String.join("\n", lines) + "\n";
    }

    /** Reads the cleartext up to the signature armor; returns its lines with trailing blanks removed. */
    private static List<String> signedLines(ArmoredInputStream armored) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int c; (c = armored.read()) >= 0; ) {
            if (!armored.isClearText()) {
                break; // c belongs to the "-----BEGIN PGP SIGNATURE-----" line, not to the text
            }
            text.write(c);
        }
        String[] lines = text.toString(StandardCharsets.UTF_8).split("\r?\n", -1);
        // The line break before the signature armor is not part of the signed text (RFC 4880, 7.1).
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(lines[i].replaceAll("[ \t\r]+$", ""));
        }
        return result;
    }

    private static List<PGPSignature> readSignatures(ArmoredInputStream armored) throws IOException {
        List<PGPSignature> signatures = new ArrayList<>();
        BcPGPObjectFactory objects = new BcPGPObjectFactory(armored);
        for (Object object; (object = objects.nextObject()) != null; ) {
            if (object instanceof PGPSignatureList list) {
                list.forEach(signatures::add);
            }
        }
        return signatures;
    }

    /** @return null if the signature is good, else what is wrong with it */
    private static String check(PGPSignature signature, PGPPublicKey key, byte[] canonical) throws PGPException {
        if (signature.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return "signature type " + signature.getSignatureType() + " is not a text signature";
        }
        if (WEAK_HASHES.contains(signature.getHashAlgorithm())) {
            return "weak hash algorithm " + signature.getHashAlgorithm();
        }
        if (key.hasRevocation()) {
            return "the key is revoked";
        }
        long validSeconds = key.getValidSeconds();
        long signedAt = signature.getCreationTime().getTime();
        if (validSeconds > 0 && signedAt > key.getCreationTime().getTime() + validSeconds * 1000) {
            return "the key had expired when the signature was made (" + signature.getCreationTime() + ")";
        }
        signature.init(new BcPGPContentVerifierBuilderProvider(), key);
        signature.update(canonical);
        return signature.verify() ? null : "the signature does not match the signed text";
    }
}
