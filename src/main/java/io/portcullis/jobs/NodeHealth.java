package io.portcullis.jobs;

import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Readiness covers this node's fitness to take part beside the others: {@code clock} is DOWN while
 * its clock strays from the database's, {@code nodeName} while it does not hold its name (both also
 * keep the job executor from taking jobs). Both are in the readiness group ({@code
 * application.yml}).
 */
@Configuration(proxyBeanMethods = false)
class NodeHealth {

  @Bean
  HealthIndicator clockHealthIndicator(NodeClock clock) {
    return clock::health;
  }

  @Bean
  HealthIndicator nodeNameHealthIndicator(NodeLease lease) {
    return lease::health;
  }
}
