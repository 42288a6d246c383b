package io.portcullis.request;

import io.portcullis.security.StartableProcess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Anyone may ask for access, through Tasklist's start form too: the process checks who asks and for
 * what.
 */
@Configuration(proxyBeanMethods = false)
class AnyoneAsks {

  @Bean
  StartableProcess accessProcessIsStartable() {
    return new StartableProcess(AccessProcess.KEY);
  }
}
