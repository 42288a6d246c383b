package io.portcullis.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Copies each sealed event, as one JSON line, to the logger {@value #LOGGER}, for a SIEM to
 * collect: a copy outside the database that someone with write access to the database cannot
 * change. Only the sealer writes it, and only for events whose seal is durably committed ({@link
 * AuditSealer}), so a crash can never leave a line that the database contradicts. The MAC is left
 * out: it proves nothing to a reader without the key.
 */
@Component
class AuditLogLine {

  static final String LOGGER = "portcullis.audit";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  boolean enabled() {
    return log.isInfoEnabled();
  }

  /** The same line as in a JSONL export, so one parser serves the SIEM and the auditor. */
  void write(AuditEvent e) {
    log.info(AuditExport.eventLine(e));
  }
}
