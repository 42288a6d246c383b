package io.portcullis.demo;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.ldap.LdapAutoConfiguration;
import org.springframework.boot.autoconfigure.ldap.LdapProperties;
import org.springframework.boot.autoconfigure.ldap.embedded.EmbeddedLdapProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.Resource;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.util.StringUtils;

/**
 * The embedded demo directory: UnboundID's in-memory server, seeded with the demo organisation, in
 * place of Spring Boot's embedded LDAP ({@link BootEmbeddedDirectoryLeftOut}), which listens on
 * every interface and lets anyone read and write everything (issue 24). The same settings ({@code
 * spring.ldap.embedded.*}: {@code base-dn}, {@code port}, {@code ldif}, {@code credential}, {@code
 * validation}), and two rules more: it listens on {@value #LISTEN_ADDRESS} only, so nothing outside
 * this machine reaches it, and {@link DemoDirectoryAccess} decides who reads and writes what.
 * Active when {@code spring.ldap.embedded.base-dn} is set (the demo profile sets it); the {@code
 * prod} profile refuses that setting.
 */
@AutoConfiguration(before = LdapAutoConfiguration.class)
@ConditionalOnClass(InMemoryDirectoryServer.class)
@Conditional(DemoDirectoryAutoConfiguration.BaseDnSet.class)
@EnableConfigurationProperties({LdapProperties.class, EmbeddedLdapProperties.class})
public class DemoDirectoryAutoConfiguration {

  /** The loopback address: a demo started on a laptop in a café is not a directory for the café. */
  static final String LISTEN_ADDRESS = "127.0.0.1";

  /** Where the port the directory listens on is published, as Spring Boot's embedded LDAP did. */
  static final String PORT_PROPERTY = "local.ldap.port";

  @Bean
  DemoDirectoryAccess demoDirectoryAccess(EmbeddedLdapProperties embedded) throws Exception {
    EmbeddedLdapProperties.Credential service = embedded.getCredential();
    if (!StringUtils.hasText(service.getUsername())
        || !StringUtils.hasText(service.getPassword())) {
      throw new IllegalStateException(
          "spring.ldap.embedded.credential.username and .password must be set: the embedded "
              + "directory's service account, the only one that reads passwords and writes (the demo profile sets them)");
    }
    return new DemoDirectoryAccess(service.getUsername());
  }

  @Bean
  InMemoryDirectoryServer directoryServer(
      EmbeddedLdapProperties embedded,
      DemoDirectoryAccess access,
      ConfigurableApplicationContext context)
      throws Exception {
    InMemoryDirectoryServerConfig config =
        new InMemoryDirectoryServerConfig(StringUtils.toStringArray(embedded.getBaseDn()));
    config.addAdditionalBindCredentials(
        embedded.getCredential().getUsername(), embedded.getCredential().getPassword());
    config.setSchema(schema(embedded.getValidation()));
    config.setListenerConfigs(
        new InMemoryListenerConfig(
            "LDAP",
            InetAddress.getByName(LISTEN_ADDRESS),
            embedded.getPort(),
            access.connections().serverSockets(),
            null,
            null));
    config.addInMemoryOperationInterceptor(access);
    // the server's own check besides the interceptor's: no write, compare or extended operation
    // unbound
    config.setAuthenticationRequiredOperationTypes(
        OperationType.ADD,
        OperationType.COMPARE,
        OperationType.DELETE,
        OperationType.EXTENDED,
        OperationType.MODIFY,
        OperationType.MODIFY_DN);
    config.setAccessLogHandler(access.connections().accessLog());
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    importLdif(server, embedded.getLdif(), context);
    server.startListening();
    publishPort(context, server.getListenPort());
    return server;
  }

  @Bean
  @DependsOn("directoryServer")
  @ConditionalOnMissingBean
  LdapContextSource ldapContextSource(
      EmbeddedLdapProperties embedded,
      LdapProperties ldap,
      ConfigurableApplicationContext context) {
    LdapContextSource source = new LdapContextSource();
    source.setBase(ldap.getBase());
    source.setUserDn(embedded.getCredential().getUsername());
    source.setPassword(embedded.getCredential().getPassword());
    String[] urls = ldap.getUrls();
    source.setUrls(
        urls != null && urls.length > 0
            ? urls
            : new String[] {
              "ldap://" + LISTEN_ADDRESS + ":" + context.getEnvironment().getProperty(PORT_PROPERTY)
            });
    return source;
  }

  private static Schema schema(EmbeddedLdapProperties.Validation validation) {
    if (!validation.isEnabled()) {
      return null;
    }
    Resource extra = validation.getSchema();
    try {
      if (extra == null) {
        return Schema.getDefaultStandardSchema();
      }
      try (InputStream in = extra.getInputStream()) {
        return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(in));
      }
    } catch (Exception e) {
      throw new IllegalStateException(
          "Unable to load schema " + (extra == null ? "(standard)" : extra.getDescription()), e);
    }
  }

  private static void importLdif(
      InMemoryDirectoryServer server, String location, ConfigurableApplicationContext context) {
    if (!StringUtils.hasText(location)) {
      return;
    }
    Resource ldif = context.getResource(location);
    if (!ldif.exists()) {
      return;
    }
    try (InputStream in = ldif.getInputStream()) {
      server.importFromLDIF(true, new LDIFReader(in));
    } catch (Exception e) {
      throw new IllegalStateException("Unable to load LDIF " + location, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void publishPort(ConfigurableApplicationContext context, int port) {
    MutablePropertySources sources = context.getEnvironment().getPropertySources();
    if (sources.get("ldap.ports") == null) {
      sources.addFirst(new MapPropertySource("ldap.ports", new HashMap<>()));
    }
    ((Map<String, Object>) sources.get("ldap.ports").getSource()).put(PORT_PROPERTY, port);
  }

  /** As Spring Boot's embedded LDAP: on when a base DN is given. */
  static class BaseDnSet extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      ConditionMessage.Builder message =
          ConditionMessage.forCondition("Portcullis' embedded demo directory");
      boolean set =
          !Binder.get(context.getEnvironment())
              .bind("spring.ldap.embedded.base-dn", Bindable.listOf(String.class))
              .orElseGet(List::of)
              .isEmpty();
      return set
          ? ConditionOutcome.match(message.because("spring.ldap.embedded.base-dn is set"))
          : ConditionOutcome.noMatch(message.because("spring.ldap.embedded.base-dn is not set"));
    }
  }
}
