package io.portcullis.security;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.ReadOnlyIdentityProvider;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;

/**
 * Makes the directory the engine's identity provider ({@link DirectoryIdentitySession}), through
 * the engine's own extension points only, so that the Camunda and the Operaton builds share it.
 * Read-only: the engine's Admin shows people and groups but cannot change them.
 */
class DirectoryIdentityPlugin extends AbstractProcessEnginePlugin {

  private final DirectoryEntries entries;

  DirectoryIdentityPlugin(DirectoryEntries entries) {
    this.entries = entries;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setIdentityProviderSessionFactory(new Sessions(entries));
  }

  /** One session per engine command; it holds no connection of its own. */
  private record Sessions(DirectoryEntries entries) implements SessionFactory {

    @Override
    public Class<?> getSessionType() {
      return ReadOnlyIdentityProvider.class;
    }

    @Override
    public Session openSession() {
      return new DirectoryIdentitySession(entries);
    }
  }
}
