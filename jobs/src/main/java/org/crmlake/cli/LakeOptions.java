package org.crmlake.cli;

import java.nio.file.Path;
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

    Lake open(String appName) {
        return new Lake(SparkSessions.getOrCreate(appName), uri(lake));
    }

    String landingUri() {
        return uri(landing);
    }

    /** Plain paths become absolute so Spark executors and the driver agree on them. */
    static String uri(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? location : Path.of(location).toAbsolutePath().normalize().toString();
    }
}
