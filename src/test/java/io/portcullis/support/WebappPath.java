package io.portcullis.support;

import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;

/**
 * Where the webapps (Tasklist, Cockpit, Admin) and their APIs are when no path is set: {@code
 * /camunda} on Camunda, {@code /operaton} on Operaton. Read from the starter's own default, so that
 * the tests of both builds (operaton/build.sh) ask the path their starter serves.
 */
public final class WebappPath {

  public static final String DEFAULT = new CamundaBpmProperties().getWebapp().getApplicationPath();

  private WebappPath() {}
}
