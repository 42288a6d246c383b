package io.portcullis.jobs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * This node's stable name, the owner of the job locks it takes ({@link JobsProperties#nodeName()}).
 */
@Component
class NodeName {

  private final String name;

  NodeName(JobsProperties properties, Environment environment) {
    String configured = properties.nodeName();
    this.name =
        configured == null || configured.isBlank()
            ? hostName() + ":" + environment.getProperty("server.port", "8080")
            : configured;
  }

  String get() {
    return name;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
