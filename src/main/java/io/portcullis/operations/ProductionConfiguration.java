package io.portcullis.operations;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** What only the prod profile brings. */
@Configuration(proxyBeanMethods = false)
@Profile("prod")
class ProductionConfiguration {

  /** Static: a bean factory post-processor, checked before any other bean is made. */
  @Bean
  static ProductionSettings productionSettings() {
    return new ProductionSettings();
  }
}
