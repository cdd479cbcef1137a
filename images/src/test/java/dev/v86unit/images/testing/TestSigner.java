package dev.v86unit.images.testing;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.List;

/** A throwaway OpenPGP RSA key that clearsigns text the way Debian's archive signs InRelease. */
public final class TestSigner {

    private final PGPKeyPair keyPair;
    private final PGPPublicKey certifiedKey;

    public TestSigner() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                    generator.generateKeyPair(),
                    new Date(System.currentTimeMillis() - 86_400_000L));
            PGPSignatureGenerator certifier = new PGPSignatureGenerator(signerBuilder(), keyPair.getPublicKey());
            certifier.init(PGPSignature.POSITIVE_CERTIFICATION, keyPair.getPrivateKey());
            String userId = "v86unit test archive key <test@example.invalid>";
            certifiedKey = PGPPublicKey.addCertification(keyPair.getPublicKey(), userId,
                    certifier.generateCertification(userId, keyPair.getPublicKey()));
        } catch (GeneralSecurityException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as a binary keyring file, like /usr/share/keyrings/*.gpg. */
    public byte[] publicKeyring() {
        try {
            return new PGPPublicKeyRing(List.of(certifiedKey)).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cleartext-signed document: "-----BEGIN PGP SIGNED MESSAGE-----", the text, the signature. */
    public byte[] clearSign(String text) {
        try {
            String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            PGPSignatureGenerator generator = new PGPSignatureGenerator(signerBuilder(), keyPair.getPublicKey());
            generator.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, keyPair.getPrivateKey());
            String[] lines = body.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    generator.update("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                generator.update(lines[i].stripTrailing().getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n".getBytes(StandardCharsets.US_ASCII));
            for (String line : lines) {
                String escaped = line.startsWith("-") ? "- " + line : line;
                out.writeBytes((escaped + "\n").getBytes(StandardCharsets.UTF_8));
            }
            try (ArmoredOutputStream armor = new ArmoredOutputStream(out);
                 BCPGOutputStream packets = new BCPGOutputStream(armor)) {
                generator.generate().encode(packets);
            }
            return out.toByteArray();
        } catch (IOException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JcaPGPContentSignerBuilder signerBuilder() {
        return new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256);
    }
}
