package org.crmlake.cli;

import java.nio.file.Path;
import org.crmlake.access.AccessPolicy;
import picocli.CommandLine.Option;

/** Who runs a command that touches personal data, and the access file that gives them a role. */
public final class CallerOptions {
    @Option(names = "--user", paramLabel = "NAME", description = "Who you are (default: $CRM_USER, else the OS user).")
    String user;

    @Option(names = "--access", paramLabel = "FILE", defaultValue = "${env:CRM_ACCESS:-conf/access.yaml}",
            description = "Users and roles (default: $CRM_ACCESS, else ${DEFAULT-VALUE}).")
    Path access;

    /** The caller's name: --user, else $CRM_USER, else the operating-system user. */
    String user() {
        return AccessPolicy.currentUser(user);
    }
}
