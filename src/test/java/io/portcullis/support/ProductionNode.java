package io.portcullis.support;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The arguments of a node in the {@code prod} profile, as an operator gives them: a PostgreSQL
 * database, the demo organisation in a directory of its own ({@link SharedDirectory}) with its
 * layout and catalog from {@code docker/demo-organisation.yml}, audit keys of its own, a public
 * URL. The directory is {@code ldap://}, so the lab's switch is on ({@code
 * portcullis.production.allow-plain-transport}); the database is on this machine, which the prod
 * profile allows without TLS.
 */
public final class ProductionNode {

  private ProductionNode() {}

  public static List<String> of(
      String databaseUrl,
      String user,
      String password,
      InMemoryDirectoryServer directory,
      String publicUrl) {
    List<String> settings =
        new ArrayList<>(
            List.of(
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--spring.config.additional-location=file:docker/demo-organisation.yml",
                "--portcullis.public-url=" + publicUrl,
                "--portcullis.production.allow-plain-transport=true",
                "--spring.main.banner-mode=off"));
    settings.addAll(SharedDirectory.settings(directory));
    settings.addAll(auditKeys());
    return settings;
  }

  /** A set of audit keys of its own, as {@code tools/GenerateAuditKeys.java} makes one. */
  public static List<String> auditKeys() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] hmac = new byte[32];
      new SecureRandom().nextBytes(hmac);
      Base64.Encoder base64 = Base64.getEncoder();
      return List.of(
          "--portcullis.audit.hmac-key=" + base64.encodeToString(hmac),
          "--portcullis.audit.signing-key=" + base64.encodeToString(pair.getPrivate().getEncoded()),
          "--portcullis.audit.public-key=" + base64.encodeToString(pair.getPublic().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
