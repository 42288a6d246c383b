package io.portcullis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

// people come from the directory only: no in-memory user with a generated password
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
// the kernel's values and errors are every module's to use (io.portcullis.kernel)
@Modulithic(sharedModules = "kernel")
public class PortcullisApplication {

  public static void main(String[] args) {
    SpringApplication.run(PortcullisApplication.class, args);
  }
}
