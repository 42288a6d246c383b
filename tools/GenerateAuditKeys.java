import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Prints a new set of audit keys for Portcullis as environment variables, with nothing but a JDK 17:
 *
 * <pre>
 *   java tools/GenerateAuditKeys.java > audit-keys.env
 * </pre>
 *
 * Keep the file secret (it holds the HMAC key and the private signing key); hand the public key to the
 * auditors. See docs/audit.md.
 */
public class GenerateAuditKeys {

  public static void main(String[] args) throws Exception {
    byte[] hmac = new byte[32];
    SecureRandom.getInstanceStrong().nextBytes(hmac);
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Base64.Encoder base64 = Base64.getEncoder();
    System.out.println("PORTCULLIS_AUDIT_HMAC_KEY=" + base64.encodeToString(hmac));
    System.out.println("PORTCULLIS_AUDIT_SIGNING_KEY=" + base64.encodeToString(pair.getPrivate().getEncoded()));
    System.out.println("PORTCULLIS_AUDIT_PUBLIC_KEY=" + base64.encodeToString(pair.getPublic().getEncoded()));
  }
}
