package io.portcullis.jobs;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How this node's job executor names itself in the jobs it locks.
 *
 * @param nodeName the lock owner name of this node: stable across restarts of the same node, and different
 *     on every node that shares the database. Left out, it is the host name and the HTTP port
 *     ({@code host:8080}), which is stable for a node that keeps its host name. A node releases, when it
 *     starts, the locks still held under its own name (a process of it that was killed held them), so two
 *     live nodes with the same name would release each other's locks.
 */
@Validated
@ConfigurationProperties("portcullis.jobs")
record JobsProperties(@Size(max = 255) @Pattern(regexp = "[A-Za-z0-9._:@-]*") String nodeName) {}
