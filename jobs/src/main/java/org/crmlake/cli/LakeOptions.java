package org.crmlake.cli;

import java.nio.file.Path;
import org.crmlake.lake.DataKeys;
import org.crmlake.lake.Lake;
import org.crmlake.lake.SparkSessions;
import picocli.CommandLine.Option;

/** Where the lake and the landing folder are; shared by every command that touches data. */
public final class LakeOptions {
    @Option(names = "--lake", paramLabel = "DIR|URI", defaultValue = "${env:CRM_LAKE:-work/lake}",
            description = "Lake root: a folder, or file:/s3a:/hdfs: URI (default: $CRM_LAKE or ${DEFAULT-VALUE}).")
    String lake;

    @Option(names = "--landing", paramLabel = "DIR|URI", defaultValue = "${env:CRM_LANDING:-work/world/landing}",
            description = "Folder the source exports land in, as landing/<source>/<date>/ (default: $CRM_LANDING or ${DEFAULT-VALUE}).")
    String landing;

    /** The lake, its key file found first: a misconfigured one stops the command before Spark starts. */
    Lake open(String appName) {
        String root = uri(lake);
        DataKeys keys = DataKeys.forLake(root);
        if (!keys.present()) {
            System.err.println("crm: no key file, so personal data is stored in clear; create one with 'crm keys new FILE' and set $"
                    + DataKeys.ENV + " (docs/PRIVACY.md)");
        }
        return new Lake(SparkSessions.getOrCreate(appName), root, keys);
    }

    String landingUri() {
        return uri(landing);
    }

    /** Plain paths become absolute so Spark executors and the driver agree on them. */
    static String uri(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? location : Path.of(location).toAbsolutePath().normalize().toString();
    }
}
