package io.globalcalling.provider.vonage.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Reads the application's private key, as Vonage's dashboard downloads it: PEM, PKCS#8, RSA. */
public final class PrivateKeys {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PrivateKeys() {
    }

    /**
     * @throws IllegalArgumentException saying what the text is not, never quoting it
     */
    public static RSAPrivateKey rsaFromPkcs8Pem(String pem) {
        String text = pem.strip();
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        String base64 = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        try {
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return (RSAPrivateKey) key;
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("a readable RSA private key in PEM PKCS#8");
        }
    }
}
